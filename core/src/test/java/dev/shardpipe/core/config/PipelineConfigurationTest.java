package dev.shardpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigurationTest {

  @Test
  void bindsTheSpecDefaults() {
    try (ApplicationContext context = ApplicationContext.run()) {
      PipelineConfiguration config = context.getBean(PipelineConfiguration.class);
      assertThat(config.topic()).isEqualTo("ingest.events");
      assertThat(config.dlqTopic()).isEqualTo("ingest.events.dlq");
      assertThat(config.partitions()).isEqualTo(16);
      assertThat(config.topicCheckTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(context.getBean(Placement.class).partitionsOf("us")).hasSize(8);
      assertThat(context.getBean(Routing.class).partitionForTweet("europe", 42)).isEqualTo(4);
    }
  }

  @Test
  void readsOverridesSuchAsEnvironmentVariablesProvide() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "shardpipe.partitions", "4",
                "shardpipe.tweet-locations", "europe=0-1,usa=2-3",
                "shardpipe.placement", "eu=0-1,us=2,asia=3",
                "shardpipe.dlq-topic", "dead"))) {
      Placement placement = context.getBean(Placement.class);
      assertThat(placement.shards()).containsExactly("eu", "us", "asia");
      assertThat(context.getBean(PipelineConfiguration.class).dlqTopic()).isEqualTo("dead");
      assertThat(context.getBean(Routing.class).partitionsForLocation("usa").first()).isEqualTo(2);
    }
  }

  @Test
  void stopsStartUpWhenAPartitionIsNotPlaced() {
    assertThatThrownBy(
            () -> ApplicationContext.run(Map.of("shardpipe.placement", "eu=0-7,us=8-14")))
        .rootCause()
        .hasMessage(
            "shardpipe.placement: partition 15 is not placed on any shard; every partition 0..15"
                + " must be placed exactly once");
  }

  @Test
  void stopsStartUpWhenALocationRangeLeavesTheTopic() {
    assertThatThrownBy(
            () -> ApplicationContext.run(Map.of("shardpipe.tweet-locations", "europe=0-31")))
        .rootCause()
        .hasMessage(
            "shardpipe.tweet-locations: range 0-31 of tweet location europe is outside partitions"
                + " 0..15");
  }

  @Test
  void stopsStartUpWhenTheDeadLetterTopicIsTheEventsTopic() {
    assertThatThrownBy(() -> ApplicationContext.run(Map.of("shardpipe.dlq-topic", "ingest.events")))
        .rootCause()
        .hasMessage("shardpipe.dlq-topic must differ from shardpipe.topic, both are ingest.events");
  }
}
