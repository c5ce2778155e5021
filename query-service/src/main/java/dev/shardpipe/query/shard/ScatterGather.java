package dev.shardpipe.query.shard;

import dev.failsafe.CircuitBreaker;
import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks several shards at once and waits for them together until one deadline, {@code
 * shardpipe.query.query-timeout} after the call: a dead or slow shard costs a request at most that
 * long, however many shards are asked, and is reported as missing rather than failing the others. A
 * shard whose circuit breaker is open ({@link ShardBreakers}) is not asked at all and is missing at
 * once.
 *
 * <p>The calls run on the bounded shard executor ({@link ShardExecutorFactory}) because JDBC
 * blocks; when it refuses a call the request fails at once with {@link ShardsOverloadedException}.
 * Each call is timed in the metric {@value #TIMER} with tags {@code shard} and {@code outcome}
 * ({@code ok} or a {@link ShardFailure}).
 */
@Singleton
final class ScatterGather {

  /** The name of the per-shard call timer. */
  static final String TIMER = "shardpipe.query.shard.calls";

  /** The name of the counter of requests refused because the shard executor was full. */
  static final String REFUSED = "shardpipe.query.refused";

  private static final Logger LOG = LoggerFactory.getLogger(ScatterGather.class);

  /** PostgreSQL's SQLSTATE for a statement cancelled by its timeout. */
  private static final String QUERY_CANCELED = "57014";

  /** PostgreSQL's SQLSTATE class for connection exceptions. */
  private static final String CONNECTION_EXCEPTION_CLASS = "08";

  /**
   * PostgreSQL's SQLSTATEs for a session ended by the server: {@code admin_shutdown} ({@code
   * pg_terminate_backend}, a fast shutdown), {@code crash_shutdown}, {@code cannot_connect_now}.
   */
  private static final Set<String> SERVER_ENDED_SESSION = Set.of("57P01", "57P02", "57P03");

  private final ShardPools pools;
  private final ShardBreakers breakers;
  private final ExecutorService executor;
  private final QueryConfiguration config;
  private final MeterRegistry meterRegistry;

  ScatterGather(
      ShardPools pools,
      ShardBreakers breakers,
      @Named(ShardExecutorFactory.NAME) ExecutorService executor,
      QueryConfiguration config,
      MeterRegistry meterRegistry) {
    this.pools = pools;
    this.breakers = breakers;
    this.executor = executor;
    this.config = config;
    this.meterRegistry = meterRegistry;
  }

  /**
   * Runs a call on each shard in parallel and collects what arrives within {@code
   * shardpipe.query.query-timeout}. Each outcome counts in the shard's circuit breaker.
   *
   * @throws IllegalStateException if a call fails with anything but an {@link SQLException}, which
   *     is a bug rather than an unavailable shard, or if the waiting thread is interrupted
   * @throws ShardsOverloadedException if the shard executor refused a call; none of them then runs
   */
  <T> Answers<T> ask(List<String> shards, ShardCall<T> call) {
    return start(shards, call, config.queryTimeout(), true).await();
  }

  /**
   * Starts a call on each shard in parallel; {@link Pending#await()} collects what arrived within
   * {@code timeout}.
   *
   * @param probes whether the outcomes count in the shards' circuit breakers; false for slow work
   *     such as counting rows, whose timeouts say nothing about whether the shard is reachable. An
   *     open breaker skips its shard either way.
   * @throws ShardsOverloadedException if the shard executor refused a call; the calls already
   *     started are cancelled and their breaker permits returned
   */
  <T> Pending<T> start(List<String> shards, ShardCall<T> call, Duration timeout, boolean probes) {
    long started = System.nanoTime();
    Map<String, Future<T>> calls = new LinkedHashMap<>();
    List<String> permits = new ArrayList<>();
    try {
      for (String shard : shards) {
        CircuitBreaker<Object> breaker = breakers.of(shard);
        boolean permitted = probes ? breaker.tryAcquirePermit() : !breaker.isOpen();
        if (permitted && probes) {
          permits.add(shard);
        }
        calls.put(shard, permitted ? executor.submit(() -> callOn(shard, call)) : null);
      }
    } catch (RejectedExecutionException e) {
      for (Future<T> future : calls.values()) {
        if (future != null) {
          future.cancel(true);
        }
      }
      permits.forEach(breakers::untried);
      meterRegistry.counter(REFUSED, "reason", "executor-full").increment();
      LOG.debug("shard executor full, request for shards {} refused", shards);
      throw new ShardsOverloadedException(config.executorThreads(), config.executorQueue());
    }
    return new Pending<>(shards, calls, started, started + timeout.toNanos(), timeout, probes);
  }

  /**
   * Calls started on several shards.
   *
   * @param <T> what each shard answers
   */
  final class Pending<T> {

    private final List<String> shards;
    private final Map<String, Future<T>> calls;
    private final long started;
    private final long deadline;
    private final Duration timeout;
    private final boolean probes;

    private Pending(
        List<String> shards,
        Map<String, Future<T>> calls,
        long started,
        long deadline,
        Duration timeout,
        boolean probes) {
      this.shards = shards;
      this.calls = calls;
      this.started = started;
      this.deadline = deadline;
      this.timeout = timeout;
      this.probes = probes;
    }

    /**
     * Waits until every call finished or the deadline passed.
     *
     * @return what each shard answered, or why it is missing
     * @throws IllegalStateException if a call failed with anything but an {@link SQLException}, or
     *     if the waiting thread is interrupted
     */
    Answers<T> await() {
      Map<String, T> answers = new LinkedHashMap<>();
      Map<String, ShardFailure> failures = new LinkedHashMap<>();
      try {
        for (String shard : shards) {
          collect(shard, answers, failures);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for shards " + shards, e);
      } finally {
        // Only when collecting stopped early: every breaker gets an outcome, or a half-open one
        // would keep its single permit, and skip its shard, for good.
        for (String shard : shards) {
          if (!answers.containsKey(shard) && !failures.containsKey(shard)) {
            Future<T> future = calls.get(shard);
            if (future != null) {
              future.cancel(true);
            }
            settle(shard, ShardFailure.TIMEOUT);
          }
        }
      }
      return new Answers<>(shards, answers, failures);
    }

    private void collect(String shard, Map<String, T> answers, Map<String, ShardFailure> failures)
        throws InterruptedException {
      Future<T> future = calls.get(shard);
      if (future == null) {
        failures.put(shard, ShardFailure.OPEN);
        record(shard, ShardFailure.OPEN);
        return;
      }
      try {
        answers.put(
            shard, future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        settle(shard, null);
        record(shard, null);
      } catch (TimeoutException e) {
        // The driver cancels the statement itself at the query timeout; interrupting frees a
        // thread still waiting for a pooled connection.
        future.cancel(true);
        failed(shard, ShardFailure.TIMEOUT, "did not answer within " + timeout, failures);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SQLException sql)) {
          throw new IllegalStateException("query on shard " + shard + " failed", e.getCause());
        }
        ShardFailure failure = classify(sql);
        failed(
            shard,
            failure,
            failure.description()
                + ": "
                + sql.getMessage()
                + " (SQLSTATE "
                + sql.getSQLState()
                + ")",
            failures);
      }
    }

    private void failed(
        String shard, ShardFailure failure, String what, Map<String, ShardFailure> failures) {
      // While the breaker is closed a failure is news; once it opens, its own log line says so
      // once instead of a warning per request. A busy pool is load, not news about the shard;
      // the call timer counts it.
      if (failure == ShardFailure.BUSY) {
        LOG.debug("shard [{}] {}", shard, what);
      } else if (!probes || breakers.of(shard).isClosed() || failure == ShardFailure.FAILED) {
        LOG.warn("shard [{}] {}", shard, what);
      } else {
        LOG.debug("shard [{}] {}", shard, what);
      }
      settle(shard, failure);
      failures.put(shard, failure);
      record(shard, failure);
    }

    /** Reports a call's outcome to the shard's breaker, which also returns a half-open permit. */
    private void settle(String shard, @Nullable ShardFailure failure) {
      if (!probes || calls.get(shard) == null) {
        return;
      }
      breakers.record(shard, failure);
    }

    private void record(String shard, ShardFailure failure) {
      Timer.builder(TIMER)
          .description("Calls to one shard, by outcome")
          .tag("shard", shard)
          .tag("outcome", failure == null ? "ok" : failure.name().toLowerCase(Locale.ROOT))
          .register(meterRegistry)
          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private <T> T callOn(String shard, ShardCall<T> call) throws SQLException {
    try (Connection connection = connect(shard)) {
      return call.call(connection, shard);
    }
  }

  private Connection connect(String shard) throws SQLException {
    try {
      return pools.pool(shard).getConnection();
    } catch (SQLTransientConnectionException e) {
      // No connection failed, and every one the pool may open is open: all were in use.
      if (e.getCause() == null && pools.saturated(shard)) {
        throw new PoolSaturatedException(shard, e);
      }
      throw e;
    }
  }

  static ShardFailure classify(SQLException e) {
    if (e instanceof PoolSaturatedException) {
      return ShardFailure.BUSY;
    }
    if (e instanceof SQLTransientConnectionException) {
      // HikariCP's "connection is not available": with a cause, opening a connection failed;
      // without one, none failed yet: every connection stayed busy, or the one being opened hung.
      return e.getCause() == null ? ShardFailure.TIMEOUT : ShardFailure.UNREACHABLE;
    }
    String state = e.getSQLState();
    if (QUERY_CANCELED.equals(state)) {
      return ShardFailure.TIMEOUT;
    }
    if (state != null
        && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || SERVER_ENDED_SESSION.contains(state))) {
      return ShardFailure.UNREACHABLE;
    }
    return ShardFailure.FAILED;
  }
}
