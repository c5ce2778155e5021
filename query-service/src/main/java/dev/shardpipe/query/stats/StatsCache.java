package dev.shardpipe.query.stats;

import dev.shardpipe.query.config.QueryConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Serves {@code GET /stats} from one collection at a time: an answer collected at most {@code
 * shardpipe.query.stats-max-age} ago is served again, and requests that arrive while a collection
 * runs wait for that one instead of starting their own. A collection counts every row of every
 * shard, so without this each client looping {@code /stats} would add a full scan per request and
 * take the pools' connections from the reads.
 *
 * <p>The age runs from the end of the collection, when its last number was read. A failed
 * collection is not kept: the next request tries again.
 */
@Singleton
public final class StatsCache {

  private final Supplier<Stats> collector;
  private final Executor executor;
  private final Clock clock;
  private final Duration maxAge;

  private @Nullable Collected last;
  private @Nullable CompletableFuture<Stats> running;

  @Inject
  StatsCache(
      StatsCollector collector,
      @Named(TaskExecutors.BLOCKING) Executor executor,
      QueryConfiguration config) {
    this(collector::collect, executor, Clock.systemUTC(), config.statsMaxAge());
  }

  StatsCache(Supplier<Stats> collector, Executor executor, Clock clock, Duration maxAge) {
    this.collector = collector;
    this.executor = executor;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * Returns the statistics, collected at most {@code stats-max-age} ago or by the collection that
   * is running or that this call starts.
   *
   * @return the statistics; fails as the collection failed, for example with {@link
   *     dev.shardpipe.query.shard.ShardsOverloadedException}
   */
  public synchronized CompletableFuture<Stats> get() {
    if (last != null && !clock.instant().isAfter(last.at().plus(maxAge))) {
      return CompletableFuture.completedFuture(last.stats());
    }
    CompletableFuture<Stats> collection = running;
    if (collection == null) {
      CompletableFuture<Stats> started = new CompletableFuture<>();
      // Set before the collection starts: an executor may run it, and finish it, at once.
      running = started;
      executor.execute(() -> collect(started));
      collection = started;
    }
    return collection;
  }

  private void collect(CompletableFuture<Stats> collection) {
    Stats stats;
    try {
      stats = collector.get();
    } catch (RuntimeException e) {
      finished(null);
      collection.completeExceptionally(e);
      return;
    }
    finished(stats);
    collection.complete(stats);
  }

  private synchronized void finished(@Nullable Stats stats) {
    if (stats != null) {
      last = new Collected(stats, clock.instant());
    }
    running = null;
  }

  private record Collected(Stats stats, Instant at) {}
}
