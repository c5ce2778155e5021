package dev.shardpipe.ingest.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides which partitions are too far behind to take more events: those whose lag in a fresh
 * reading is over {@code shardpipe.ingest.max-lag}.
 *
 * <p>It refuses only on evidence: a partition whose lag is unknown (its shard is down, Kafka did
 * not answer, a move is switching it) or a reading older than {@code maxAge} (the background
 * refresh is stuck) lets events through, because refusing writes over a failure to measure would
 * turn a read-side outage into a write outage; Kafka keeps the events meanwhile. Immutable and
 * thread-safe.
 *
 * @param maxLag the most events a partition may be behind; {@code 0} refuses nothing
 * @param maxAge the oldest reading that is still believed
 */
public record Backpressure(long maxLag, Duration maxAge) {

  /**
   * How many refresh intervals a reading is believed for: {@value}. A few missed refreshes (a slow
   * shard, a pause) keep the last decision; a refresh stuck for longer stops refusing.
   */
  public static final int STALE_AFTER_INTERVALS = 5;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if {@code maxLag} is negative or {@code maxAge} not positive
   */
  public Backpressure {
    if (maxLag < 0) {
      throw new IllegalArgumentException("maxLag must be >= 0, was " + maxLag);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
  }

  /**
   * The decision for a refresh interval.
   *
   * @param maxLag the most events a partition may be behind; {@code 0} refuses nothing
   * @param refreshInterval how often the lag is read
   * @return a decision that believes a reading for {@value #STALE_AFTER_INTERVALS} intervals
   */
  public static Backpressure of(long maxLag, Duration refreshInterval) {
    return new Backpressure(maxLag, refreshInterval.multipliedBy(STALE_AFTER_INTERVALS));
  }

  /**
   * Returns the partitions, among those given, that must not take more events now.
   *
   * @param reading the latest lag reading
   * @param partitions the partitions a request's events are routed to, repeats allowed
   * @param now the current time
   * @return the partitions over {@code maxLag}, ascending, without repeats; empty to accept
   */
  public List<Integer> behind(LagReading reading, Collection<Integer> partitions, Instant now) {
    if (maxLag == 0 || reading.readAt().plus(maxAge).isBefore(now)) {
      return List.of();
    }
    TreeSet<Integer> behind = new TreeSet<>();
    for (int partition : partitions) {
      Long lag = reading.lags().get(partition);
      if (lag != null && lag > maxLag) {
        behind.add(partition);
      }
    }
    return List.copyOf(behind);
  }
}
