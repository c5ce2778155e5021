package dev.shardpipe.core.config;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The pipeline's shared settings, under {@value #PREFIX}; every service reads the same keys, so
 * that they agree on the topic, routing and placement (docs/contract.md §4, §9). Each can be set in
 * {@code application.yml} or as an environment variable ({@code SHARDPIPE_PLACEMENT}, ...).
 *
 * @param topic the events topic; default {@value #DEFAULT_TOPIC}
 * @param dlqTopic the dead-letter topic for records that are not valid events; default {@value
 *     #DEFAULT_DLQ_TOPIC}
 * @param partitions P, the events topic's partition count; default 16 ({@link
 *     Routing#DEFAULT_PARTITIONS})
 * @param tweetLocations tweet location ranges, {@code <location>=<range>,...}; {@code *} sets the
 *     range of unlisted locations (default: all partitions); default {@value
 *     Routing#DEFAULT_TWEET_LOCATIONS}
 * @param placement partition placement, {@code <shard>=<range>[+<range>...],...}; default {@value
 *     Placement#DEFAULT_PLACEMENT}
 * @param locationRegions tweet locations pinned to regions, {@code <location>=<region>,...}: a
 *     pinned location's partitions may only be placed on shards of its region; default {@value
 *     RegionPins#DEFAULT_LOCATION_REGIONS}
 * @param shardRegions the regions of the shards named by {@code placement}, {@code
 *     <shard>=<region>,...}, used with it to seed an empty catalog; default {@value
 *     RegionPins#DEFAULT_SHARD_REGIONS}
 * @param topicCheckTimeout how long start-up waits for Kafka to describe the events topic before it
 *     fails; default {@value #DEFAULT_TOPIC_CHECK_TIMEOUT}
 */
@ConfigurationProperties(PipelineConfiguration.PREFIX)
public record PipelineConfiguration(
    @Bindable(defaultValue = DEFAULT_TOPIC) String topic,
    @Bindable(defaultValue = DEFAULT_DLQ_TOPIC) String dlqTopic,
    @Bindable(defaultValue = "" + Routing.DEFAULT_PARTITIONS) int partitions,
    @Bindable(defaultValue = Routing.DEFAULT_TWEET_LOCATIONS) String tweetLocations,
    @Bindable(defaultValue = Placement.DEFAULT_PLACEMENT) String placement,
    @Bindable(defaultValue = RegionPins.DEFAULT_LOCATION_REGIONS) String locationRegions,
    @Bindable(defaultValue = RegionPins.DEFAULT_SHARD_REGIONS) String shardRegions,
    @Bindable(defaultValue = DEFAULT_TOPIC_CHECK_TIMEOUT) Duration topicCheckTimeout) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe";

  /** Default events topic: {@value}. */
  public static final String DEFAULT_TOPIC = "ingest.events";

  /** Default dead-letter topic: {@value}. */
  public static final String DEFAULT_DLQ_TOPIC = "ingest.events.dlq";

  /** Default wait for the topic check at start-up: {@value}. */
  public static final String DEFAULT_TOPIC_CHECK_TIMEOUT = "30s";

  /**
   * Checks the simple values; routing and placement are checked when they are built.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public PipelineConfiguration {
    requireTopicName("topic", topic);
    requireTopicName("dlq-topic", dlqTopic);
    if (topic.equals(dlqTopic)) {
      throw new IllegalArgumentException(
          PREFIX + ".dlq-topic must differ from " + PREFIX + ".topic, both are " + topic);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".partitions must be at least 1, was " + partitions);
    }
    if (topicCheckTimeout.isNegative() || topicCheckTimeout.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".topic-check-timeout must be positive, was " + topicCheckTimeout);
    }
  }

  private static void requireTopicName(String key, String name) {
    // Kafka's own rule for topic names (org.apache.kafka.common.internals.Topic).
    if (name.isEmpty() || name.length() > 249 || !name.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          PREFIX
              + "."
              + key
              + " must be 1 to 249 of [a-zA-Z0-9._-] (a Kafka topic name), was \""
              + name
              + "\"");
    }
  }
}
