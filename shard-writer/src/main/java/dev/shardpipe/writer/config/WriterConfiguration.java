package dev.shardpipe.writer.config;

import dev.shardpipe.move.MoveSteps;
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
 * @param poolSize connections to the shard's database, more than {@code write-concurrency}: one per
 *     concurrent partition transaction and one for health checks; default {@value
 *     #DEFAULT_POOL_SIZE}
 * @param connectionTimeout how long taking a connection from the pool may wait before the attempt
 *     counts as failed and is retried with backoff; short, so that a database that is back is
 *     noticed soon; at least 250 ms (HikariCP's floor); default {@value
 *     #DEFAULT_CONNECTION_TIMEOUT}
 * @param writeConcurrency how many partitions of one poll are decoded and written at the same time,
 *     each in its own transaction on its own connection; a partition's batches still commit in
 *     offset order; default {@value #DEFAULT_WRITE_CONCURRENCY}
 * @param catalogTimeout how long start-up waits for the catalog before it fails; default {@value
 *     #DEFAULT_CATALOG_TIMEOUT}
 * @param cutoverLag how many records a partition arriving by a move may still lag when this writer
 *     asks for the cutover; the smaller, the shorter the moment the partition's newest rows are not
 *     yet readable; default {@value #DEFAULT_CUTOVER_LAG}
 * @param readerGrace how long after a partition has moved away its old copy is kept at least, so
 *     that a read that took the old placement just before the switch still finds its rows; at least
 *     query-service's query timeout; default {@value #DEFAULT_READER_GRACE}
 * @param acceptDataLoss whether a partition whose applied offset Kafka has deleted (retention ran
 *     before this shard applied it) goes on from the oldest record still there, logging the records
 *     lost; false by default, when such a partition is held, the writer reports DOWN and the gap,
 *     and nothing is skipped silently; set with {@code --accept-data-loss}
 */
@ConfigurationProperties(WriterConfiguration.PREFIX)
public record WriterConfiguration(
    @Nullable String shard,
    @Bindable(defaultValue = DEFAULT_POLL_TIMEOUT) Duration pollTimeout,
    @Bindable(defaultValue = DEFAULT_RETRY_INITIAL_BACKOFF) Duration retryInitialBackoff,
    @Bindable(defaultValue = DEFAULT_RETRY_MAX_BACKOFF) Duration retryMaxBackoff,
    @Bindable(defaultValue = DEFAULT_SHUTDOWN_TIMEOUT) Duration shutdownTimeout,
    @Bindable(defaultValue = "" + DEFAULT_POOL_SIZE) int poolSize,
    @Bindable(defaultValue = DEFAULT_CONNECTION_TIMEOUT) Duration connectionTimeout,
    @Bindable(defaultValue = "" + DEFAULT_WRITE_CONCURRENCY) int writeConcurrency,
    @Bindable(defaultValue = DEFAULT_CATALOG_TIMEOUT) Duration catalogTimeout,
    @Bindable(defaultValue = "" + DEFAULT_CUTOVER_LAG) long cutoverLag,
    @Bindable(defaultValue = DEFAULT_READER_GRACE) Duration readerGrace,
    @Bindable(defaultValue = "false") boolean acceptDataLoss) {

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

  /**
   * Default pool size: {@value}; a connection per concurrent partition transaction and one for
   * health checks.
   */
  public static final int DEFAULT_POOL_SIZE = 3;

  /**
   * Default number of partitions written at the same time: {@value}. In the writer-drain benchmark
   * (docs/benchmarks.md) two drained 30 to 40 % faster than one whenever the machine had any idle
   * core, and four no faster than two.
   */
  public static final int DEFAULT_WRITE_CONCURRENCY = 2;

  /** Default wait for a connection: {@value}. */
  public static final String DEFAULT_CONNECTION_TIMEOUT = "2s";

  /** Default wait for the catalog at start-up: {@value}. */
  public static final String DEFAULT_CATALOG_TIMEOUT = "60s";

  /** Default lag at which a partition arriving by a move is cut over: {@value} records. */
  public static final long DEFAULT_CUTOVER_LAG = MoveSteps.DEFAULT_CUTOVER_LAG;

  /** Default time an old copy of a moved partition is kept at least: {@value}. */
  public static final String DEFAULT_READER_GRACE = "5s";

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
    requirePositive("catalog-timeout", catalogTimeout);
    requirePositive("reader-grace", readerGrace);
    if (cutoverLag < 0) {
      throw new IllegalArgumentException(
          PREFIX + ".cutover-lag must be at least 0, was " + cutoverLag);
    }
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
    if (writeConcurrency < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".write-concurrency must be at least 1, was " + writeConcurrency);
    }
    if (poolSize <= writeConcurrency) {
      throw new IllegalArgumentException(
          PREFIX
              + ".pool-size ("
              + poolSize
              + ") must be greater than "
              + PREFIX
              + ".write-concurrency ("
              + writeConcurrency
              + "): each concurrent partition transaction holds a connection, and health checks"
              + " need one more");
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
