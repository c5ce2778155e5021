package dev.shardpipe.query.readafter;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How reads wait for a read token, under {@value #PREFIX} (docs/configuration.md).
 *
 * @param readAfterTimeout the longest a read with {@code read_after} waits for the shards to apply
 *     the token's offsets before it answers {@code 503 not-yet-applied}; default {@value
 *     #DEFAULT_READ_AFTER_TIMEOUT}
 * @param readAfterPollInterval how often the applied offsets are read while any read waits: the
 *     delay a waiting read adds at most beyond the writers' own; default {@value
 *     #DEFAULT_READ_AFTER_POLL_INTERVAL}
 */
@ConfigurationProperties(ReadAfterConfiguration.PREFIX)
public record ReadAfterConfiguration(
    @Bindable(defaultValue = DEFAULT_READ_AFTER_TIMEOUT) Duration readAfterTimeout,
    @Bindable(defaultValue = DEFAULT_READ_AFTER_POLL_INTERVAL) Duration readAfterPollInterval) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.query";

  /** Default wait for a token: {@value}. */
  public static final String DEFAULT_READ_AFTER_TIMEOUT = "2s";

  /**
   * Default poll interval: {@value}. One query per shard every 20 ms while reads wait, none while
   * none do; small against the writers' commit latency of tens of milliseconds.
   */
  public static final String DEFAULT_READ_AFTER_POLL_INTERVAL = "20ms";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public ReadAfterConfiguration {
    if (readAfterTimeout.isNegative() || readAfterTimeout.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".read-after-timeout must be positive, was " + readAfterTimeout);
    }
    if (readAfterPollInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".read-after-poll-interval must be at least 1ms, was " + readAfterPollInterval);
    }
  }
}
