package dev.shardpipe.query.shard;

import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks several shards at once and waits for them together until one deadline, {@code
 * shardpipe.query.query-timeout} after the call: a dead or slow shard costs a request at most that
 * long, however many shards are asked, and is reported as missing rather than failing the others.
 *
 * <p>Runs on Micronaut's blocking executor because JDBC blocks. Each call is timed in the metric
 * {@value #TIMER} with tags {@code shard} and {@code outcome} ({@code ok} or a {@link
 * ShardFailure}).
 */
@Singleton
final class ScatterGather {

  /** The name of the per-shard call timer. */
  static final String TIMER = "shardpipe.query.shard.calls";

  private static final Logger LOG = LoggerFactory.getLogger(ScatterGather.class);

  /** PostgreSQL's SQLSTATE for a statement cancelled by its timeout. */
  private static final String QUERY_CANCELED = "57014";

  /** PostgreSQL's SQLSTATE class for connection exceptions. */
  private static final String CONNECTION_EXCEPTION_CLASS = "08";

  private final ShardPools pools;
  private final ExecutorService executor;
  private final QueryConfiguration config;
  private final MeterRegistry meterRegistry;

  ScatterGather(
      ShardPools pools,
      @Named(TaskExecutors.BLOCKING) ExecutorService executor,
      QueryConfiguration config,
      MeterRegistry meterRegistry) {
    this.pools = pools;
    this.executor = executor;
    this.config = config;
    this.meterRegistry = meterRegistry;
  }

  /**
   * Runs a call on each shard in parallel and collects what arrives before the deadline.
   *
   * @throws IllegalStateException if a call fails with anything but an {@link SQLException}, which
   *     is a bug rather than an unavailable shard, or if the waiting thread is interrupted
   */
  <T> Answers<T> ask(List<String> shards, ShardCall<T> call) {
    long started = System.nanoTime();
    long deadline = started + config.queryTimeout().toNanos();
    Map<String, Future<T>> pending = new LinkedHashMap<>();
    for (String shard : shards) {
      pending.put(shard, executor.submit(() -> callOn(shard, call)));
    }
    Map<String, T> answers = new LinkedHashMap<>();
    Map<String, ShardFailure> failures = new LinkedHashMap<>();
    for (Map.Entry<String, Future<T>> entry : pending.entrySet()) {
      String shard = entry.getKey();
      Future<T> future = entry.getValue();
      ShardFailure failure;
      try {
        answers.put(
            shard, future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        record(shard, "ok", started);
        continue;
      } catch (TimeoutException e) {
        // The driver cancels the statement itself at the query timeout; interrupting frees a
        // thread still waiting for a pooled connection.
        future.cancel(true);
        failure = ShardFailure.TIMEOUT;
        LOG.warn("shard [{}] did not answer within {}", shard, config.queryTimeout());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SQLException sql)) {
          throw new IllegalStateException("query on shard " + shard + " failed", e.getCause());
        }
        failure = classify(sql);
        LOG.warn(
            "shard [{}] {}: {} (SQLSTATE {})",
            shard,
            failure.description(),
            sql.getMessage(),
            sql.getSQLState());
      } catch (InterruptedException e) {
        pending.values().forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for shards " + shards, e);
      }
      failures.put(shard, failure);
      record(shard, failure.name().toLowerCase(Locale.ROOT), started);
    }
    return new Answers<>(shards, answers, failures);
  }

  private <T> T callOn(String shard, ShardCall<T> call) throws SQLException {
    try (Connection connection = pools.pool(shard).getConnection()) {
      return call.call(connection, shard);
    }
  }

  static ShardFailure classify(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      // HikariCP's "connection is not available": with a cause, opening a connection failed;
      // without one, none failed yet: every connection stayed busy, or the one being opened hung.
      return e.getCause() == null ? ShardFailure.TIMEOUT : ShardFailure.UNREACHABLE;
    }
    String state = e.getSQLState();
    if (QUERY_CANCELED.equals(state)) {
      return ShardFailure.TIMEOUT;
    }
    if (state != null && state.startsWith(CONNECTION_EXCEPTION_CLASS)) {
      return ShardFailure.UNREACHABLE;
    }
    return ShardFailure.FAILED;
  }

  private void record(String shard, String outcome, long started) {
    Timer.builder(TIMER)
        .description("Calls to one shard, by outcome")
        .tag("shard", shard)
        .tag("outcome", outcome)
        .register(meterRegistry)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }
}
