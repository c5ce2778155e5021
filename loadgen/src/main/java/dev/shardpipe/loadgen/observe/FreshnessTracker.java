package dev.shardpipe.loadgen.observe;

import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.sink.Ack;
import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end freshness: the time from sending an event until its row is visible in its shard.
 *
 * <p>A writer commits {@code applied_offsets(topic, partition, next_offset)} in the same
 * transaction as the rows it covers (SPEC 5), so the row of the event at {@code (partition,
 * offset)} is visible exactly when that partition's {@code next_offset > offset}. One thread polls
 * every shard's {@code applied_offsets} every {@code interval} and records, for each acknowledged
 * event the offsets have passed, the time since the event was due; so a value is late by at most
 * one interval plus one query.
 */
public final class FreshnessTracker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FreshnessTracker.class);
  private static final String OFFSETS =
      "SELECT partition, next_offset FROM applied_offsets WHERE topic = ?";

  private final List<Connection> shards;
  private final String topic;
  private final Duration interval;
  private final Map<Integer, ConcurrentSkipListMap<Long, Pending>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong waiting = new AtomicLong();
  private final Histogram freshness = Percentiles.histogram();
  private final Thread poller;
  private volatile boolean stopped;
  private volatile @Nullable String pollError;

  /** An event waiting to be applied: when it was due, and whether it is measured. */
  private record Pending(long dueNanos, boolean measured) {}

  private FreshnessTracker(List<Connection> shards, String topic, Duration interval) {
    this.shards = shards;
    this.topic = topic;
    this.interval = interval;
    this.poller = new Thread(this::poll, "freshness-poller");
    this.poller.setDaemon(true);
  }

  /**
   * Connects to every shard and starts polling.
   *
   * @param jdbcUrls each shard's JDBC URL
   * @param user the database user
   * @param password the password, may be empty
   * @param topic the events topic, the key of {@code applied_offsets}
   * @param interval time between polls
   * @return the running tracker
   * @throws SQLException if a shard cannot be reached or has no {@code applied_offsets} yet
   */
  public static FreshnessTracker start(
      List<String> jdbcUrls, String user, String password, String topic, Duration interval)
      throws SQLException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (String url : jdbcUrls) {
        connections.add(DriverManager.getConnection(url, user, password));
      }
      FreshnessTracker tracker = new FreshnessTracker(connections, topic, interval);
      tracker.read();
      tracker.poller.start();
      return tracker;
    } catch (SQLException | RuntimeException e) {
      for (Connection c : connections) {
        c.close();
      }
      throw e;
    }
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
   * Returns the last error of a poll, if polling stopped because of one.
   *
   * @return the error's text, or null
   */
  public @Nullable String pollError() {
    return pollError;
  }

  private void poll() {
    while (!stopped) {
      try {
        read();
        Thread.sleep(Math.max(1, interval.toMillis()));
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        pollError = e.getMessage();
        LOG.warn("freshness: reading applied_offsets failed; stopped polling", e);
        return;
      }
    }
  }

  private void read() throws SQLException {
    Map<Integer, Long> applied = new HashMap<>();
    for (Connection shard : shards) {
      try (PreparedStatement s = shard.prepareStatement(OFFSETS)) {
        s.setString(1, topic);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            applied.merge(rs.getInt(1), rs.getLong(2), Math::max);
          }
        }
      }
    }
    long now = System.nanoTime();
    applied.forEach(
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
                Percentiles.record(freshness, now - e.getValue().dueNanos());
              }
            }
          }
        });
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
    for (Connection c : shards) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a shard connection failed", e);
      }
    }
  }
}
