package dev.shardpipe.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ShardKeyPartitionerTest {

  private static final String TOPIC = "ingest.events";

  @Test
  void producerWithThePartitionerSendsEachKeyToItsRoutedPartition() throws Exception {
    ShardKeyPartitioner partitioner = new ShardKeyPartitioner();
    partitioner.configure(Map.of());
    try (MockProducer<String, String> producer =
        new MockProducer<>(
            cluster(16), true, partitioner, new StringSerializer(), new StringSerializer())) {
      assertThat(send(producer, "europe/42")).isEqualTo(4);
      assertThat(send(producer, "usa/42")).isEqualTo(12);
      assertThat(send(producer, "42")).isEqualTo(12);
      assertThat(send(producer, "1")).isEqualTo(15);
    }
  }

  @Test
  void readsRoutingFromTheProducerConfiguration() {
    ShardKeyPartitioner partitioner = new ShardKeyPartitioner();
    partitioner.configure(
        Map.of(
            ShardKeyPartitioner.PARTITIONS_CONFIG, "4",
            ShardKeyPartitioner.TWEET_LOCATIONS_CONFIG, "europe=0-1,usa=2-3"));
    Routing expected = Routing.of(4, "europe=0-1,usa=2-3");
    assertThat(partitioner.partition(TOPIC, "usa/9", null, null, null, cluster(4)))
        .isEqualTo(expected.partitionForTweet("usa", 9));
  }

  @Test
  void refusesATopicWhosePartitionCountDiffersFromTheRouting() {
    ShardKeyPartitioner partitioner = new ShardKeyPartitioner();
    partitioner.configure(Map.of());
    assertThatThrownBy(() -> partitioner.partition(TOPIC, "42", null, null, null, cluster(12)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("topic ingest.events has 12 partitions but shardpipe.partitions is 16");
  }

  @Test
  void rejectsInvalidSettingsNamingTheSetting() {
    ShardKeyPartitioner partitioner = new ShardKeyPartitioner();
    assertThatThrownBy(
            () ->
                partitioner.configure(
                    Map.of(ShardKeyPartitioner.TWEET_LOCATIONS_CONFIG, "europe=0-99")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "shardpipe.tweet-locations: range 0-99 of tweet location europe is outside"
                + " partitions 0..15");
    assertThatThrownBy(
            () -> partitioner.configure(Map.of(ShardKeyPartitioner.PARTITIONS_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shardpipe.partitions");
  }

  private static int send(MockProducer<String, String> producer, String key)
      throws InterruptedException, ExecutionException {
    return producer.send(new ProducerRecord<>(TOPIC, key, "{}")).get().partition();
  }

  private static Cluster cluster(int partitions) {
    Node node = new Node(0, "localhost", 9092);
    List<PartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      infos.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
    }
    return new Cluster("test", List.of(node), infos, Set.of(), Set.of());
  }
}
