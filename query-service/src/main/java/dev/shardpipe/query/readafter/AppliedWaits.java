package dev.shardpipe.query.readafter;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.query.shard.Answers;
import dev.shardpipe.query.shard.ShardReader;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, without a thread per request, until the shards have applied a read token's offsets.
 *
 * <p>A token is satisfied when, for each partition it names, the shard that owns the partition in
 * the current placement has applied past the offset: its {@code applied_offsets.next_offset} is
 * greater. One scheduler thread reads, every {@code read-after-poll-interval} and only while some
 * request waits, the applied offsets of the partitions the waiting tokens name, in one query per
 * owning shard, and completes every future that is now satisfied. A future not satisfied within
 * {@code read-after-timeout} fails with {@link NotYetAppliedException}.
 *
 * <p>What the poll learned is kept as, per partition, the highest applied offset ever read from its
 * owner, and a token it already satisfies completes at once. That stays true across moves: a
 * partition's new owner only takes over once it has applied at least the old owner's final offset
 * (docs/elasticity.md), so what one owner had applied, every later owner has too. A fenced row (a
 * partition being switched) is not read, so such a token waits for the switch.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Singleton
public final class AppliedWaits {

  private static final Logger LOG = LoggerFactory.getLogger(AppliedWaits.class);

  private final PlacementSource placements;
  private final ShardReader reader;
  private final String topic;
  private final Duration timeout;
  private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  /** Per partition, the highest applied next offset read from its owner. */
  private final Map<Integer, Long> applied = new ConcurrentHashMap<>();

  private final ScheduledExecutorService poller;

  AppliedWaits(
      PlacementSource placements,
      ShardReader reader,
      PipelineConfiguration pipeline,
      ReadAfterConfiguration config) {
    this.placements = placements;
    this.reader = reader;
    this.topic = pipeline.topic();
    this.timeout = config.readAfterTimeout();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "read-after-poll");
              thread.setDaemon(true);
              return thread;
            });
    long interval = config.readAfterPollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollSafely, interval, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until a token's offsets are applied.
   *
   * @param token the partitions and offsets to wait for, each partition below P
   * @return completes when every partition's owner has applied past its offset, at once when that
   *     is already known; fails with {@link NotYetAppliedException} after {@code
   *     read-after-timeout}
   */
  public CompletableFuture<Void> await(ReadToken token) {
    if (behind(token).isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Waiter waiter = new Waiter(token, new CompletableFuture<>());
    waiters.add(waiter);
    // orTimeout completes on the JDK's shared delay thread; the poller drops the waiter later.
    return waiter
        .done()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure ->
                failure instanceof TimeoutException
                    ? CompletableFuture.failedFuture(new NotYetAppliedException(behind(token)))
                    : CompletableFuture.failedFuture(failure));
  }

  /** The token's partitions not known to be applied past its offset, ascending. */
  private List<Integer> behind(ReadToken token) {
    TreeSet<Integer> behind = new TreeSet<>();
    token
        .offsets()
        .forEach(
            (partition, offset) -> {
              if (applied.getOrDefault(partition, 0L) <= offset) {
                behind.add(partition);
              }
            });
    return List.copyOf(behind);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the next poll may well succeed.
      LOG.warn("reading applied offsets for waiting reads failed", e);
    }
  }

  private void poll() {
    waiters.removeIf(w -> w.done().isDone());
    if (waiters.isEmpty()) {
      return;
    }
    TreeSet<Integer> wanted = new TreeSet<>();
    for (Waiter waiter : waiters) {
      wanted.addAll(behind(waiter.token()));
    }
    if (!wanted.isEmpty()) {
      Placement placement = placements.current();
      wanted.removeIf(p -> p >= placement.partitions());
      Answers<Map<Integer, Long>> answers = reader.appliedOffsets(placement, wanted, topic);
      for (Map<Integer, Long> offsets : answers.values()) {
        offsets.forEach((partition, offset) -> applied.merge(partition, offset, Math::max));
      }
    }
    waiters.removeIf(
        waiter -> {
          if (behind(waiter.token()).isEmpty()) {
            waiter.done().complete(null);
            return true;
          }
          return waiter.done().isDone();
        });
  }

  @PreDestroy
  void close() {
    poller.shutdownNow();
  }

  /** A read waiting for a token. */
  private record Waiter(ReadToken token, CompletableFuture<Void> done) {}
}
