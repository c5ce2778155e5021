package dev.shardpipe.writer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The writer's own settings, under {@value #PREFIX}.
 *
 * @param shard the shard this writer owns; set with {@code --shard=eu} or {@code
 *     SHARDPIPE_WRITER_SHARD=eu}; no default
 * @param pollTimeout how long one Kafka poll waits for records; default {@value
 *     #DEFAULT_POLL_TIMEOUT}
 * @param retryInitialBackoff the first wait after a retriable database or Kafka error; default
 *     {@value #DEFAULT_RETRY_INITIAL_BACKOFF}
 * @param retryMaxBackoff the cap of the doubling wait between retries; default {@value
 *     #DEFAULT_RETRY_MAX_BACKOFF}
 * @param shutdownTimeout how long shutdown waits for the batch in flight before interrupting it; an
 *     interrupted batch is not committed and is applied again after restart; default {@value
 *     #DEFAULT_SHUTDOWN_TIMEOUT}
 * @param poolSize connections to the shard's database; default {@value #DEFAULT_POOL_SIZE}
 * @param connectionTimeout how long taking a connection from the pool may wait before the attempt
 *     counts as failed and is retried with backoff; short, so that a database that is back is
 *     noticed soon; at least 250 ms (HikariCP's floor); default {@value
 *     #DEFAULT_CONNECTION_TIMEOUT}
 */
@ConfigurationProperties(WriterConfiguration.PREFIX)
public record WriterConfiguration(
    @Nullable String shard,
    @Bindable(defaultValue = DEFAULT_POLL_TIMEOUT) Duration pollTimeout,
    @Bindable(defaultValue = DEFAULT_RETRY_INITIAL_BACKOFF) Duration retryInitialBackoff,
    @Bindable(defaultValue = DEFAULT_RETRY_MAX_BACKOFF) Duration retryMaxBackoff,
    @Bindable(defaultValue = DEFAULT_SHUTDOWN_TIMEOUT) Duration shutdownTimeout,
    @Bindable(defaultValue = "" + DEFAULT_POOL_SIZE) int poolSize,
    @Bindable(defaultValue = DEFAULT_CONNECTION_TIMEOUT) Duration connectionTimeout) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.writer";

  /** Default poll timeout: {@value}. */
  public static final String DEFAULT_POLL_TIMEOUT = "500ms";

  /** Default first retry wait: {@value}. */
  public static final String DEFAULT_RETRY_INITIAL_BACKOFF = "100ms";

  /** Default retry wait cap: {@value}. */
  public static final String DEFAULT_RETRY_MAX_BACKOFF = "5s";

  /** Default shutdown wait: {@value}. */
  public static final String DEFAULT_SHUTDOWN_TIMEOUT = "10s";

  /** Default pool size: {@value}; one connection writes, the others serve health checks. */
  public static final int DEFAULT_POOL_SIZE = 2;

  /** Default wait for a connection: {@value}. */
  public static final String DEFAULT_CONNECTION_TIMEOUT = "2s";

  private static final Duration HIKARI_MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  /**
   * Checks the durations and the pool size.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public WriterConfiguration {
    requirePositive("poll-timeout", pollTimeout);
    requirePositive("retry-initial-backoff", retryInitialBackoff);
    requirePositive("retry-max-backoff", retryMaxBackoff);
    requirePositive("shutdown-timeout", shutdownTimeout);
    if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
      throw new IllegalArgumentException(
          PREFIX
              + ".retry-max-backoff ("
              + retryMaxBackoff
              + ") must not be below "
              + PREFIX
              + ".retry-initial-backoff ("
              + retryInitialBackoff
              + ")");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException(PREFIX + ".pool-size must be at least 1, was " + poolSize);
    }
    if (connectionTimeout.compareTo(HIKARI_MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          PREFIX + ".connection-timeout must be at least 250ms, was " + connectionTimeout);
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(PREFIX + "." + key + " must be positive, was " + value);
    }
  }
}
