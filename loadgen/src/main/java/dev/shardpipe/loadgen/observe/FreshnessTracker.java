package dev.shardpipe.loadgen.observe;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.shards.PlacedOffsets;
import dev.shardpipe.loadgen.shards.ShardOffsets;
import dev.shardpipe.loadgen.sink.Ack;
import io.micronaut.core.annotation.Nullable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end freshness: the time from sending an event until its row is visible in its shard.
 *
 * <p>A writer commits a partition's applied offset in the same transaction as the rows it covers
 * (docs/architecture.md), so the row of the event at {@code (partition, offset)} is visible exactly
 * when that partition's applied offset passes {@code offset}. One thread takes the catalog's
 * current snapshot every {@code interval}, reads every partition's applied offset from the shard it
 * is placed on, and from both ends of a move while it moves ({@link PlacedOffsets}), and records,
 * for each acknowledged event the offsets have passed, the time since the event was due; so a value
 * is late by at most one interval plus one query, and a partition that moves during a run is
 * followed to its new shard.
 *
 * <p>A poll that cannot read a shard is logged and the next one tries again; events of that shard
 * wait meanwhile.
 */
public final class FreshnessTracker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FreshnessTracker.class);

  private final Supplier<CatalogSnapshot> catalog;
  private final ShardOffsets offsets;
  private final Duration interval;
  private final Map<Integer, ConcurrentSkipListMap<Long, Pending>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong waiting = new AtomicLong();
  private final Histogram freshness = Percentiles.histogram();
  private final Map<Integer, Histogram> byPartition = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean stopped;
  private volatile @Nullable String pollError;

  /** An event waiting to be applied: when it was due, and whether it is measured. */
  private record Pending(long dueNanos, boolean measured) {}

  private FreshnessTracker(
      Supplier<CatalogSnapshot> catalog, ShardOffsets offsets, Duration interval) {
    this.catalog = catalog;
    this.offsets = offsets;
    this.interval = interval;
    this.poller = new Thread(this::poll, "freshness-poller");
    this.poller.setDaemon(true);
  }

  /**
   * Reads every shard once, then starts polling.
   *
   * @param catalog the catalog's current snapshot, taken anew for every poll
   * @param offsets reads a shard's applied offsets
   * @param interval time between polls
   * @return the running tracker
   * @throws SQLException if a shard cannot be read at the start
   */
  public static FreshnessTracker start(
      Supplier<CatalogSnapshot> catalog, ShardOffsets offsets, Duration interval)
      throws SQLException {
    FreshnessTracker tracker = new FreshnessTracker(catalog, offsets, interval);
    SQLException failure = tracker.read();
    if (failure != null) {
      throw failure;
    }
    tracker.poller.start();
    return tracker;
  }

  /**
   * Waits for an acknowledged event to become visible.
   *
   * @param ack where Kafka stored the event
   * @param dueNanos when the event was due to be sent, on {@link System#nanoTime()}'s scale
   * @param measured whether its freshness is recorded (false during a warm-up)
   */
  public void track(Ack ack, long dueNanos, boolean measured) {
    waiting.incrementAndGet();
    pending
        .computeIfAbsent(ack.partition(), p -> new ConcurrentSkipListMap<>())
        .put(ack.offset(), new Pending(dueNanos, measured));
  }

  /**
   * Waits until every tracked event is visible.
   *
   * @param timeout the longest to wait
   * @return the events still not visible, 0 when all are
   * @throws InterruptedException if interrupted
   */
  public long awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (waiting.get() > 0 && System.nanoTime() < deadline && poller.isAlive()) {
      Thread.sleep(Math.max(1, interval.toMillis()));
    }
    return waiting.get();
  }

  /**
   * Returns the freshness of the measured events applied so far.
   *
   * @return milliseconds from when each was due to the poll that saw its row
   */
  public Percentiles freshness() {
    return Percentiles.of(freshness);
  }

  /**
   * Returns the freshness of each partition's measured events applied so far: the figures that show
   * whether one partition, a moving one say, lagged while the others did not.
   *
   * @return partition to its freshness, ascending; partitions without a measured event are absent
   */
  public Map<Integer, Percentiles> freshnessByPartition() {
    Map<Integer, Percentiles> out = new TreeMap<>();
    byPartition.forEach((p, h) -> out.put(p, Percentiles.of(h)));
    return out;
  }

  /**
   * Returns the last error of a poll that could not read a shard.
   *
   * @return the error's text, or null when every poll read every shard
   */
  public @Nullable String pollError() {
    return pollError;
  }

  private void poll() {
    while (!stopped) {
      try {
        Thread.sleep(Math.max(1, interval.toMillis()));
      } catch (InterruptedException e) {
        return;
      }
      SQLException failure;
      try {
        failure = read();
      } catch (RuntimeException e) {
        pollError = e.toString();
        LOG.warn("freshness: a poll failed; trying again", e);
        continue;
      }
      if (failure != null) {
        if (pollError == null) {
          LOG.warn("freshness: a shard could not be read; trying again: {}", failure.getMessage());
        }
        pollError = failure.getMessage();
      }
    }
  }

  /** One poll; returns the failure of a shard it could not read, if any. */
  private @Nullable SQLException read() {
    PlacedOffsets.Reading reading = PlacedOffsets.read(catalog.get(), offsets);
    long now = System.nanoTime();
    reading
        .applied()
        .forEach(
            (partition, next) -> {
              ConcurrentSkipListMap<Long, Pending> events = pending.get(partition);
              if (events == null) {
                return;
              }
              for (Map.Entry<Long, Pending> e = events.firstEntry();
                  e != null && e.getKey() < next;
                  e = events.firstEntry()) {
                if (events.remove(e.getKey()) != null) {
                  waiting.decrementAndGet();
                  if (e.getValue().measured()) {
                    long nanos = now - e.getValue().dueNanos();
                    Percentiles.record(freshness, nanos);
                    Percentiles.record(
                        byPartition.computeIfAbsent(partition, p -> Percentiles.histogram()),
                        nanos);
                  }
                }
              }
            });
    return reading.failure();
  }

  @Override
  public void close() {
    stopped = true;
    poller.interrupt();
    try {
      poller.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
