package dev.shardpipe.devstack;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.testing.Sql;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches, every 50 ms, how far the shard that owns each partition (in the catalog's current
 * placement) has applied it, and turns that into each acknowledged event's freshness: the time from
 * its acknowledgement to the first poll that finds it applied on its owner. Events are tagged with
 * the phase of the test they were acknowledged in.
 */
final class FreshnessWatch implements AutoCloseable {

  /** The worst freshness of moved partitions, and the others' 99th percentile, in ms. */
  record Report(long movingMaxMillis, long othersP99Millis, long events) {}

  private record Pending(long offset, long ackNanos, String phase) {}

  private record Seen(int partition, long millis, String phase) {}

  private static final long POLL_MILLIS = 50;

  private final Catalog catalog;
  private final Devstack devstack;
  private final Map<Integer, ArrayDeque<Pending>> pending = new ConcurrentHashMap<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile String phase = "start";
  private volatile boolean running = true;

  private FreshnessWatch(Devstack devstack, Catalog catalog) {
    this.devstack = devstack;
    this.catalog = catalog;
    this.thread = new Thread(this::run, "freshness-watch");
    this.thread.setDaemon(true);
  }

  static FreshnessWatch start(ElasticLoad load, Devstack devstack) {
    FreshnessWatch watch = new FreshnessWatch(devstack, devstack.catalog().catalog());
    load.onAck(
        ack -> {
          if (ack.offset() >= 0) {
            ArrayDeque<Pending> queue =
                watch.pending.computeIfAbsent(ack.partition(), p -> new ArrayDeque<>());
            synchronized (queue) {
              queue.add(new Pending(ack.offset(), ack.ackNanos(), watch.phase));
            }
          }
        });
    watch.thread.start();
    return watch;
  }

  void phase(String name) {
    phase = name;
  }

  /** The next offset each partition's owner had applied at the last poll. */
  Map<Integer, Long> applied() {
    return Map.copyOf(applied);
  }

  private void run() {
    while (running) {
      long started = System.nanoTime();
      try {
        Map<Integer, Long> now = appliedByOwner(devstack, catalog.load());
        applied.putAll(now);
        long nanos = System.nanoTime();
        now.forEach(
            (partition, next) -> {
              ArrayDeque<Pending> queue = pending.get(partition);
              if (queue == null) {
                return;
              }
              synchronized (queue) {
                while (!queue.isEmpty() && queue.peek().offset() < next) {
                  Pending event = queue.poll();
                  seen.add(
                      new Seen(partition, (nanos - event.ackNanos()) / 1_000_000, event.phase()));
                }
              }
            });
      } catch (RuntimeException e) {
        // A shard or the catalog killed by the test; the next poll reads again.
      }
      long left = POLL_MILLIS - (System.nanoTime() - started) / 1_000_000;
      if (left > 0) {
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Per partition, the next offset its owner in this placement has applied (unfenced rows). */
  static Map<Integer, Long> appliedByOwner(Devstack devstack, CatalogSnapshot placement) {
    Map<Integer, Long> applied = new HashMap<>();
    for (String shard : placement.shards()) {
      List<Integer> owned = placement.partitionsOf(shard);
      if (owned.isEmpty()) {
        continue;
      }
      String url = devstack.postgres().jdbcUrl(Devstack.databaseName(shard));
      for (Map<String, Object> row :
          Sql.rows(
              url,
              "SELECT partition, next_offset FROM applied_offsets WHERE topic = 'ingest.events'"
                  + " AND fenced_at IS NULL")) {
        int partition = (Integer) row.get("partition");
        if (owned.contains(partition)) {
          applied.put(partition, (Long) row.get("next_offset"));
        }
      }
    }
    return applied;
  }

  /**
   * Sums up the phases asked for.
   *
   * @param moved the partitions that moved
   * @param phases the phases to count
   * @return the report
   */
  Report report(Set<Integer> moved, Set<String> phases) {
    List<Long> others = new ArrayList<>();
    long movingMax = 0;
    long events = 0;
    synchronized (seen) {
      for (Seen s : seen) {
        if (!phases.contains(s.phase())) {
          continue;
        }
        events++;
        if (moved.contains(s.partition())) {
          movingMax = Math.max(movingMax, s.millis());
        } else {
          others.add(s.millis());
        }
      }
    }
    others.sort(null);
    long p99 =
        others.isEmpty() ? 0 : others.get((int) Math.min(others.size() - 1, others.size() * 0.99));
    return new Report(movingMax, p99, events);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
