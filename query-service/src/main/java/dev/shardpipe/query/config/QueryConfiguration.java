package dev.shardpipe.query.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The query service's own settings, under {@value #PREFIX}. Where the shards live comes from {@code
 * shardpipe.database.*}, which shards exist and which partitions they hold from {@code
 * shardpipe.placement} (docs/contract.md §4).
 *
 * @param queryTimeout the longest a request waits for any one shard, connecting included; a shard
 *     that has not answered by then counts as missing; default {@value #DEFAULT_QUERY_TIMEOUT}
 * @param connectionTimeout the longest a request waits for a connection from a shard's pool, so
 *     that a shard that is down fails fast; at least {@value #MIN_CONNECTION_TIMEOUT_MILLIS} ms,
 *     HikariCP's floor; default {@value #DEFAULT_CONNECTION_TIMEOUT}
 * @param poolSize connections per shard; default {@value #DEFAULT_POOL_SIZE}
 * @param defaultLimit items per page when a request gives no {@code limit}; default {@value
 *     #DEFAULT_DEFAULT_LIMIT}
 * @param maxLimit the largest {@code limit} a request may ask for; default {@value
 *     #DEFAULT_MAX_LIMIT} (docs/contract.md §7)
 * @param cursorSecret the key that signs page cursors (HMAC-SHA256); every instance of the service
 *     must share it so that any of them accepts another's cursors; at least {@value
 *     #MIN_CURSOR_SECRET_BYTES} bytes; default {@value #DEFAULT_CURSOR_SECRET}, which is public:
 *     operators set their own
 * @param retryAfter the {@code Retry-After} of every {@code 503}: a shard is unavailable, or the
 *     service is overloaded; default {@value #DEFAULT_RETRY_AFTER}
 * @param statsTimeout the longest {@code GET /stats} waits for a shard's row counts, which scan
 *     every row and so take seconds on tens of millions; offsets and lag do not wait for them;
 *     default {@value #DEFAULT_STATS_TIMEOUT}
 * @param breakerFailures consecutive connection failures of a shard that open its circuit breaker,
 *     after which requests skip the shard at once; default {@value #DEFAULT_BREAKER_FAILURES}
 * @param breakerDelay how long an open circuit breaker skips its shard before one request tries it
 *     again; default {@value #DEFAULT_BREAKER_DELAY}
 * @param executorThreads threads that run calls on the shards (JDBC blocks a thread per call);
 *     default {@value #DEFAULT_EXECUTOR_THREADS}
 * @param executorQueue calls on the shards that may wait for a thread; a request whose calls find
 *     the queue full answers {@code 503} with {@code Retry-After} at once instead of piling up;
 *     default {@value #DEFAULT_EXECUTOR_QUEUE}
 * @param statsMaxAge how old the {@code GET /stats} answer may be: within this age every request
 *     shares one collection, so the shards count their rows at most once per this period however
 *     many clients ask; default {@value #DEFAULT_STATS_MAX_AGE}
 */
@ConfigurationProperties(QueryConfiguration.PREFIX)
public record QueryConfiguration(
    @Bindable(defaultValue = DEFAULT_QUERY_TIMEOUT) Duration queryTimeout,
    @Bindable(defaultValue = DEFAULT_CONNECTION_TIMEOUT) Duration connectionTimeout,
    @Bindable(defaultValue = "" + DEFAULT_POOL_SIZE) int poolSize,
    @Bindable(defaultValue = "" + DEFAULT_DEFAULT_LIMIT) int defaultLimit,
    @Bindable(defaultValue = "" + DEFAULT_MAX_LIMIT) int maxLimit,
    @Bindable(defaultValue = DEFAULT_CURSOR_SECRET) String cursorSecret,
    @Bindable(defaultValue = DEFAULT_RETRY_AFTER) Duration retryAfter,
    @Bindable(defaultValue = DEFAULT_STATS_TIMEOUT) Duration statsTimeout,
    @Bindable(defaultValue = "" + DEFAULT_BREAKER_FAILURES) int breakerFailures,
    @Bindable(defaultValue = DEFAULT_BREAKER_DELAY) Duration breakerDelay,
    @Bindable(defaultValue = "" + DEFAULT_EXECUTOR_THREADS) int executorThreads,
    @Bindable(defaultValue = "" + DEFAULT_EXECUTOR_QUEUE) int executorQueue,
    @Bindable(defaultValue = DEFAULT_STATS_MAX_AGE) Duration statsMaxAge) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.query";

  /** Default wait for one shard: {@value}. */
  public static final String DEFAULT_QUERY_TIMEOUT = "2s";

  /** Default wait for a pooled connection: {@value}. */
  public static final String DEFAULT_CONNECTION_TIMEOUT = "1s";

  /**
   * The shortest connection timeout, in milliseconds: {@value}. HikariCP silently replaces anything
   * shorter with its 30 s default, the opposite of what a short value asks for.
   */
  public static final int MIN_CONNECTION_TIMEOUT_MILLIS = 250;

  /** Default connections per shard: {@value}. */
  public static final int DEFAULT_POOL_SIZE = 4;

  /** Default page size: {@value}. */
  public static final int DEFAULT_DEFAULT_LIMIT = 50;

  /** Default largest page size: {@value} (docs/contract.md §7). */
  public static final int DEFAULT_MAX_LIMIT = 1000;

  /**
   * Default cursor key: {@value}. It is in the source code, so anyone can sign a cursor with it;
   * the service logs a warning while it is in use.
   */
  public static final String DEFAULT_CURSOR_SECRET = "shardpipe-default-cursor-secret-change-me";

  /** The shortest cursor key, in UTF-8 bytes: {@value}. */
  public static final int MIN_CURSOR_SECRET_BYTES = 16;

  /** Default {@code Retry-After} for an unavailable shard: {@value}. */
  public static final String DEFAULT_RETRY_AFTER = "5s";

  /** Default wait for a shard's row counts in {@code GET /stats}: {@value}. */
  public static final String DEFAULT_STATS_TIMEOUT = "10s";

  /** Default consecutive connection failures that open a shard's circuit breaker: {@value}. */
  public static final int DEFAULT_BREAKER_FAILURES = 3;

  /** Default time an open circuit breaker skips its shard: {@value}. */
  public static final String DEFAULT_BREAKER_DELAY = "5s";

  /**
   * Default threads for calls on the shards: {@value}. Four connections per shard on a few shards:
   * a thread for each, and a few more for calls waiting for a connection.
   */
  public static final int DEFAULT_EXECUTOR_THREADS = 16;

  /**
   * Default calls that may wait for a thread: {@value}. A few merged reads' worth; beyond that a
   * call would wait longer than the query timeout allows anyway.
   */
  public static final int DEFAULT_EXECUTOR_QUEUE = 64;

  /** Default age of a {@code GET /stats} answer that may still be served: {@value}. */
  public static final String DEFAULT_STATS_MAX_AGE = "1s";

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public QueryConfiguration {
    requirePositive("query-timeout", queryTimeout);
    requirePositive("retry-after", retryAfter);
    requirePositive("stats-timeout", statsTimeout);
    requirePositive("breaker-delay", breakerDelay);
    requirePositive("stats-max-age", statsMaxAge);
    if (executorThreads < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".executor-threads must be at least 1, was " + executorThreads);
    }
    if (executorQueue < 0) {
      throw new IllegalArgumentException(
          PREFIX + ".executor-queue must be at least 0, was " + executorQueue);
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".breaker-failures must be at least 1, was " + breakerFailures);
    }
    if (connectionTimeout.toMillis() < MIN_CONNECTION_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException(
          PREFIX
              + ".connection-timeout must be at least "
              + MIN_CONNECTION_TIMEOUT_MILLIS
              + "ms, was "
              + connectionTimeout);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException(PREFIX + ".pool-size must be at least 1, was " + poolSize);
    }
    if (maxLimit < 1) {
      throw new IllegalArgumentException(PREFIX + ".max-limit must be at least 1, was " + maxLimit);
    }
    if (defaultLimit < 1 || defaultLimit > maxLimit) {
      throw new IllegalArgumentException(
          PREFIX
              + ".default-limit must be between 1 and "
              + PREFIX
              + ".max-limit ("
              + maxLimit
              + "), was "
              + defaultLimit);
    }
    if (cursorSecret.getBytes(StandardCharsets.UTF_8).length < MIN_CURSOR_SECRET_BYTES) {
      // The secret itself is never echoed: this message ends up in logs.
      throw new IllegalArgumentException(
          PREFIX + ".cursor-secret must be at least " + MIN_CURSOR_SECRET_BYTES + " bytes long");
    }
  }

  /**
   * Tells whether the cursor key is still the public default.
   *
   * @return true when {@link #cursorSecret()} is {@value #DEFAULT_CURSOR_SECRET}
   */
  public boolean usesDefaultCursorSecret() {
    return DEFAULT_CURSOR_SECRET.equals(cursorSecret);
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(PREFIX + "." + key + " must be positive, was " + value);
    }
  }

  /** Leaves the cursor key out, so that logging the configuration does not leak it. */
  @Override
  public String toString() {
    return "QueryConfiguration[queryTimeout="
        + queryTimeout
        + ", connectionTimeout="
        + connectionTimeout
        + ", poolSize="
        + poolSize
        + ", defaultLimit="
        + defaultLimit
        + ", maxLimit="
        + maxLimit
        + ", cursorSecret=<hidden>, retryAfter="
        + retryAfter
        + ", statsTimeout="
        + statsTimeout
        + ", breakerFailures="
        + breakerFailures
        + ", breakerDelay="
        + breakerDelay
        + ", executorThreads="
        + executorThreads
        + ", executorQueue="
        + executorQueue
        + ", statsMaxAge="
        + statsMaxAge
        + "]";
  }
}
