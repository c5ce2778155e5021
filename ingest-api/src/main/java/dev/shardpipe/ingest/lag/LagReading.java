package dev.shardpipe.ingest.lag;

import java.time.Instant;
import java.util.Map;

/**
 * One reading of every partition's lag.
 *
 * @param lags partition to its lag in events ({@code >= 0}): the topic's end offset minus the
 *     applied offset of the shard owning it; a partition whose lag could not be read (its shard or
 *     Kafka did not answer, or it is in the middle of a move's cutover) is absent
 * @param readAt when the reading was taken; {@link Instant#EPOCH} before the first one
 */
public record LagReading(Map<Integer, Long> lags, Instant readAt) {

  /** The reading before any was taken: nothing known. */
  public static final LagReading NONE = new LagReading(Map.of(), Instant.EPOCH);

  /** Copies the lags. */
  public LagReading {
    lags = Map.copyOf(lags);
  }
}
