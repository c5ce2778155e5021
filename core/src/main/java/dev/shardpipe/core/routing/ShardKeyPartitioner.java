package dev.shardpipe.core.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * A Kafka {@link Partitioner} that applies the pipeline's {@link Routing} to the record key, so
 * that any Java producer writes each event to the partition docs/contract.md §4 assigns it:
 *
 * <pre>{@code
 * partitioner.class=dev.shardpipe.core.routing.ShardKeyPartitioner
 * shardpipe.partitions=16
 * shardpipe.tweet-locations=europe=0-7,usa=8-15
 * }</pre>
 *
 * <p>The key must be the shard key as text (docs/contract.md §3): {@code europe/42} for a tweet,
 * {@code 42} for a file. Records sent with an explicit partition bypass any partitioner (a Kafka
 * rule), so this class never sees them.
 */
public final class ShardKeyPartitioner implements Partitioner {

  /** Producer setting for P, the events topic's partition count. */
  public static final String PARTITIONS_CONFIG = "shardpipe.partitions";

  /** Producer setting for the tweet location ranges, {@code <location>=<range>,...}. */
  public static final String TWEET_LOCATIONS_CONFIG = "shardpipe.tweet-locations";

  private static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              PARTITIONS_CONFIG,
              Type.INT,
              Routing.DEFAULT_PARTITIONS,
              ConfigDef.Range.atLeast(1),
              Importance.HIGH,
              "Partition count P of the events topic; routing is computed modulo ranges of it.")
          .define(
              TWEET_LOCATIONS_CONFIG,
              Type.STRING,
              Routing.DEFAULT_TWEET_LOCATIONS,
              Importance.HIGH,
              "Tweet location ranges, <location>=<first>-<last> separated by commas; '*' sets"
                  + " the range of every location not listed (default: all partitions).");

  private volatile Routing routing = Routing.defaults();

  /**
   * Creates a partitioner with the docs/contract.md §4 defaults until {@link #configure} is called.
   */
  public ShardKeyPartitioner() {
    // Kafka instantiates partitioners reflectively and then calls configure().
  }

  /**
   * Reads {@value #PARTITIONS_CONFIG} and {@value #TWEET_LOCATIONS_CONFIG} from the producer
   * configuration.
   *
   * @param configs the producer configuration
   * @throws ConfigException if either setting is invalid, naming the setting and the reason
   */
  @Override
  public void configure(Map<String, ?> configs) {
    AbstractConfig parsed = new AbstractConfig(CONFIG, configs, false);
    try {
      routing =
          Routing.of(parsed.getInt(PARTITIONS_CONFIG), parsed.getString(TWEET_LOCATIONS_CONFIG));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TWEET_LOCATIONS_CONFIG + ": " + e.getMessage());
    }
  }

  /**
   * Routes one record by its key.
   *
   * @return the partition, in {@code 0..P-1}
   * @throws IllegalStateException if the topic's partition count is known and differs from P:
   *     routing into a topic of another size would put events on the wrong shards
   * @throws IllegalArgumentException if the key is not a shard key
   */
  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    Routing current = routing;
    Integer actual = cluster.partitionCountForTopic(topic);
    if (actual != null && actual != current.partitions()) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " has "
              + actual
              + " partitions but "
              + PARTITIONS_CONFIG
              + " is "
              + current.partitions());
    }
    String text =
        key instanceof String s ? s : keyBytes == null ? null : new String(keyBytes, UTF_8);
    return current.partitionForKey(text);
  }

  @Override
  public void close() {
    // Holds no resources.
  }
}
