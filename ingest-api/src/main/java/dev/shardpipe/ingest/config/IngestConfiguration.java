package dev.shardpipe.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * ingest-api's own limits, under {@value #PREFIX} (docs/contract.md §6). The batch endpoints' body
 * limit is Micronaut's {@code micronaut.server.max-request-size} together with {@code
 * micronaut.server.max-request-buffer-size}, which the server enforces for every request before a
 * controller runs (docs/configuration.md); the smaller limit for single events is checked here.
 *
 * @param maxEventBytes the largest body of {@code POST /tweets} or {@code POST /files}, in bytes;
 *     default {@value #DEFAULT_MAX_EVENT_BYTES}; larger answers {@code 413}
 * @param maxBatchItems the most items one {@code POST /tweets/batch} or {@code /files/batch} may
 *     carry; default {@value #DEFAULT_MAX_BATCH_ITEMS} (docs/contract.md §6)
 * @param maxBulkCount the largest {@code count} of {@code POST /ingest/bulk}; default {@value
 *     #DEFAULT_MAX_BULK_COUNT}
 * @param maxInFlightEvents how many events may wait for Kafka's acknowledgement at once; a request
 *     that would exceed it answers {@code 503} at once instead of queueing; default {@value
 *     #DEFAULT_MAX_IN_FLIGHT_EVENTS}. It bounds the heap a stalled broker can fill; at a few
 *     hundred bytes per event it also stays well under the producer's {@code buffer.memory} (32 MiB
 *     by default), so {@code send()} does not wait for buffer space.
 * @param retryAfter the {@code Retry-After} of a {@code 503}; default {@value #DEFAULT_RETRY_AFTER}
 * @param maxFuture how far ahead of the server's clock an event's {@code occurred_at} may be; later
 *     is a {@code 400}, since a row stamped far in the future could never be updated or deleted
 *     again (a version only replaces an older one); default {@value #DEFAULT_MAX_FUTURE}; zero
 *     refuses any time ahead of the clock
 * @param bulkEnabled whether {@code POST /ingest/bulk} generates synthetic events; when false it
 *     answers {@code 404}; default {@value #DEFAULT_BULK_ENABLED}, for the devstack's demo
 * @param maxLag the most events a partition's writer may be behind (the topic's end offset minus
 *     the applied offset of the shard that owns the partition) before events routed to that
 *     partition are refused with {@code 503 writers-behind}; default {@value #DEFAULT_MAX_LAG},
 *     reasoned in docs/ingest-api.md; {@code 0} turns backpressure off, which is logged as a
 *     warning at start-up
 * @param lagRefreshInterval how often the lag of every partition is read again in the background,
 *     so a decision is about this old; default {@value #DEFAULT_LAG_REFRESH_INTERVAL}
 */
@ConfigurationProperties(IngestConfiguration.PREFIX)
public record IngestConfiguration(
    @Bindable(defaultValue = "" + DEFAULT_MAX_EVENT_BYTES) int maxEventBytes,
    @Bindable(defaultValue = "" + DEFAULT_MAX_BATCH_ITEMS) int maxBatchItems,
    @Bindable(defaultValue = "" + DEFAULT_MAX_BULK_COUNT) int maxBulkCount,
    @Bindable(defaultValue = "" + DEFAULT_MAX_IN_FLIGHT_EVENTS) int maxInFlightEvents,
    @Bindable(defaultValue = DEFAULT_RETRY_AFTER) Duration retryAfter,
    @Bindable(defaultValue = DEFAULT_MAX_FUTURE) Duration maxFuture,
    @Bindable(defaultValue = "" + DEFAULT_BULK_ENABLED) boolean bulkEnabled,
    @Bindable(defaultValue = "" + DEFAULT_MAX_LAG) long maxLag,
    @Bindable(defaultValue = DEFAULT_LAG_REFRESH_INTERVAL) Duration lagRefreshInterval) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.ingest";

  /**
   * Default body limit of a single event, in bytes: {@value}. The largest valid file, with every
   * character written as a JSON escape, is about 14 KiB; the rest is headroom for ignored fields.
   */
  public static final int DEFAULT_MAX_EVENT_BYTES = 65_536;

  /** Default item limit of a batch: {@value} (docs/contract.md §6). */
  public static final int DEFAULT_MAX_BATCH_ITEMS = 10_000;

  /** Default limit of {@code count} for synthetic events: {@value}. */
  public static final int DEFAULT_MAX_BULK_COUNT = 10_000;

  /** Default limit of events awaiting Kafka's acknowledgement: {@value}. */
  public static final int DEFAULT_MAX_IN_FLIGHT_EVENTS = 20_000;

  /** Default {@code Retry-After} of a {@code 503}: {@value}. */
  public static final String DEFAULT_RETRY_AFTER = "1s";

  /**
   * Default tolerance for an {@code occurred_at} ahead of the server's clock: {@value}. Enough for
   * clients whose clocks run a little fast, far too little to stamp a row out of reach.
   */
  public static final String DEFAULT_MAX_FUTURE = "5m";

  /** Default of whether {@code POST /ingest/bulk} is served: {@value}. */
  public static final boolean DEFAULT_BULK_ENABLED = true;

  /**
   * Default lag, in events, above which a partition's events are refused: {@value}. A partition's
   * events must be applied before Kafka's retention deletes them. The smallest retention the
   * deployment docs support is about 1 GiB per partition (Kafka's default segment size, the unit
   * retention deletes); an event takes 250 to 1 000 bytes on the log, so 1 GiB holds at least about
   * a million of the largest and four million of typical ones. A million leaves a margin of four
   * for typical events, and the writers, at about 3 000 events/s per partition, clear it in about
   * six minutes once they run again (docs/ingest-api.md).
   */
  public static final long DEFAULT_MAX_LAG = 1_000_000;

  /** Default interval between two readings of every partition's lag: {@value}. */
  public static final String DEFAULT_LAG_REFRESH_INTERVAL = "1s";

  /**
   * Checks the limits against each other.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public IngestConfiguration {
    requirePositive("max-event-bytes", maxEventBytes);
    requirePositive("max-batch-items", maxBatchItems);
    requirePositive("max-bulk-count", maxBulkCount);
    requirePositive("max-in-flight-events", maxInFlightEvents);
    // A request takes all of its events' places at once, so one larger than the limit could never
    // be published.
    requireAtMostInFlight("max-batch-items", maxBatchItems, maxInFlightEvents);
    requireAtMostInFlight("max-bulk-count", maxBulkCount, maxInFlightEvents);
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".retry-after must be positive, was " + retryAfter);
    }
    if (maxLag < 0) {
      throw new IllegalArgumentException(
          PREFIX + ".max-lag must be at least 0 (0 turns backpressure off), was " + maxLag);
    }
    if (lagRefreshInterval.isNegative() || lagRefreshInterval.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".lag-refresh-interval must be positive, was " + lagRefreshInterval);
    }
    if (maxFuture.isNegative()) {
      throw new IllegalArgumentException(
          PREFIX + ".max-future must not be negative, was " + maxFuture);
    }
  }

  /**
   * Tells whether events are refused when their partition's writers are behind.
   *
   * @return false when {@code max-lag} is 0
   */
  public boolean backpressure() {
    return maxLag > 0;
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(PREFIX + "." + key + " must be at least 1, was " + value);
    }
  }

  private static void requireAtMostInFlight(String key, int value, int maxInFlight) {
    if (value > maxInFlight) {
      throw new IllegalArgumentException(
          PREFIX
              + "."
              + key
              + " ("
              + value
              + ") must not exceed "
              + PREFIX
              + ".max-in-flight-events ("
              + maxInFlight
              + "): such a request could never be published");
    }
  }
}
