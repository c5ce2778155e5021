package dev.shardpipe.core.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * Routing: event to partition (docs/contract.md §4). A pure function of the event's shard key that
 * must never change for the life of the topic, so it uses Kafka's own {@code murmur2} and {@code
 * toPositive} and any client can reproduce it.
 *
 * <ul>
 *   <li>Tweet: the {@code location} picks a range of partitions ({@code europe} 0-7, {@code usa}
 *       8-15, any other location all partitions by default); within the range {@code
 *       toPositive(murmur2(owner_id as decimal text)) % size} picks the partition.
 *   <li>File: {@code toPositive(murmur2(user_id as decimal text)) % P}, which is the partition
 *       Kafka's default partitioner picks for the record key {@code "<user_id>"}.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Routing {

  /** Default number of partitions P of the events topic: {@value}. */
  public static final int DEFAULT_PARTITIONS = 16;

  /** Default location ranges for tweets: {@value}. */
  public static final String DEFAULT_TWEET_LOCATIONS = "europe=0-7,usa=8-15";

  /**
   * The location name that stands for every location not listed: {@value}. When absent, other
   * locations use all partitions.
   */
  public static final String OTHER_LOCATIONS = "*";

  private final int partitions;
  private final Map<String, PartitionRange> locations;
  private final PartitionRange otherLocations;

  private Routing(
      int partitions, Map<String, PartitionRange> locations, PartitionRange otherLocations) {
    this.partitions = partitions;
    this.locations = Collections.unmodifiableMap(locations);
    this.otherLocations = otherLocations;
  }

  /**
   * Builds the routing from configuration and validates it.
   *
   * @param partitions P, the partition count of the events topic, {@code >= 1}
   * @param tweetLocations {@code <location>=<range>} entries separated by commas, such as {@code
   *     europe=0-7,usa=8-15}; the location {@code *} sets the range of every other location
   * @return the routing
   * @throws IllegalArgumentException with a message naming the bad entry when P is below 1, an
   *     entry is malformed, a location is listed twice, or a range lies outside {@code 0..P-1}
   */
  public static Routing of(int partitions, String tweetLocations) {
    requirePartitions(partitions);
    Map<String, PartitionRange> ranges = new LinkedHashMap<>();
    PartitionRange other = new PartitionRange(0, partitions - 1);
    boolean otherListed = false;
    for (String entry : tweetLocations.split(",", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new IllegalArgumentException(
            "tweet location entry \"" + entry.strip() + "\" is not of the form <location>=<range>");
      }
      String location = entry.substring(0, eq).strip();
      PartitionRange range;
      try {
        range = PartitionRange.parse(entry.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tweet location " + location + ": " + e.getMessage(), e);
      }
      range.requireWithin(partitions, "tweet location " + location);
      if (OTHER_LOCATIONS.equals(location)) {
        if (otherListed) {
          throw new IllegalArgumentException("tweet location * is listed twice");
        }
        otherListed = true;
        other = range;
      } else if (ranges.putIfAbsent(location, range) != null) {
        throw new IllegalArgumentException("tweet location " + location + " is listed twice");
      }
    }
    return new Routing(partitions, ranges, other);
  }

  /**
   * Returns the routing of docs/contract.md §4: P = 16, {@code europe} 0-7, {@code usa} 8-15.
   *
   * @return the default routing
   */
  public static Routing defaults() {
    return of(DEFAULT_PARTITIONS, DEFAULT_TWEET_LOCATIONS);
  }

  static void requirePartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "the partition count must be at least 1, was " + partitions);
    }
  }

  /**
   * Returns P, the partition count this routing is built for.
   *
   * @return P, {@code >= 1}
   */
  public int partitions() {
    return partitions;
  }

  /**
   * Returns the locations that have a range of their own.
   *
   * @return the configured locations, without {@value #OTHER_LOCATIONS}
   */
  public Set<String> locations() {
    return locations.keySet();
  }

  /**
   * Returns the partitions a tweet with this location can be routed to.
   *
   * @param location the tweet's {@code location}, compared exactly (case-sensitive)
   * @return the location's configured range, or the range of other locations
   */
  public PartitionRange partitionsForLocation(String location) {
    return locations.getOrDefault(location, otherLocations);
  }

  /**
   * Routes a tweet.
   *
   * @param location the tweet's {@code location}
   * @param ownerId the tweet's {@code owner_id}
   * @return the partition, in {@code 0..P-1}
   */
  public int partitionForTweet(String location, long ownerId) {
    PartitionRange range = partitionsForLocation(location);
    return range.first() + hash(ownerId) % range.size();
  }

  /**
   * Routes a file.
   *
   * @param userId the file's {@code user_id}
   * @return the partition, in {@code 0..P-1}
   */
  public int partitionForFile(long userId) {
    return hash(userId) % partitions;
  }

  /**
   * Routes an event by its shard key, as {@link #partitionForKey} routes its record key.
   *
   * @param event an event of any kind
   * @return the partition, in {@code 0..P-1}
   */
  public int partitionFor(Event event) {
    return partitionForKey(event.shardKey());
  }

  /**
   * Routes a record by its key, the shard key as text (docs/contract.md §3): {@code
   * <location>/<owner_id>} for a tweet, {@code <user_id>} for a file. The owner is read after the
   * last slash, so a location may itself contain slashes.
   *
   * @param recordKey the Kafka record key
   * @return the partition, in {@code 0..P-1}
   * @throws IllegalArgumentException if the key is not of either form
   */
  public int partitionForKey(String recordKey) {
    ShardKey key = ShardKey.parse(recordKey);
    return key.location() == null
        ? partitionForFile(key.id())
        : partitionForTweet(key.location(), key.id());
  }

  private static int hash(long id) {
    return Utils.toPositive(Utils.murmur2(Long.toString(id).getBytes(UTF_8)));
  }

  @Override
  public String toString() {
    return "Routing{partitions="
        + partitions
        + ", locations="
        + locations
        + ", other="
        + otherLocations
        + "}";
  }
}
