package dev.shardpipe.catalog;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How a service follows the catalog, under {@value #PREFIX}. Where the catalog is comes from the
 * data source {@code datasources.catalog.*} (url, username, password), as for any Micronaut data
 * source; the defaults name the devstack's {@code shardpipe_catalog} on port 5433.
 *
 * @param pollInterval how often the watcher reads the catalog's version when no notification came;
 *     default {@value #DEFAULT_POLL_INTERVAL}. Notifications usually bring a change within
 *     milliseconds; polling bounds it when one is lost.
 * @param retryInterval how long the watcher waits before reconnecting to an unreachable catalog;
 *     default {@value #DEFAULT_RETRY_INTERVAL}
 * @param readerLiveWithin a query-service instance that has not reported its placement version for
 *     this long is taken to be gone, so a moved partition's old copy is not kept for it; default
 *     {@value #DEFAULT_READER_LIVE_WITHIN}
 */
@ConfigurationProperties(CatalogConfiguration.PREFIX)
public record CatalogConfiguration(
    @Bindable(defaultValue = DEFAULT_POLL_INTERVAL) Duration pollInterval,
    @Bindable(defaultValue = DEFAULT_RETRY_INTERVAL) Duration retryInterval,
    @Bindable(defaultValue = DEFAULT_READER_LIVE_WITHIN) Duration readerLiveWithin) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.catalog";

  /** Default poll interval: {@value}. */
  public static final String DEFAULT_POLL_INTERVAL = "500ms";

  /** Default reconnect wait: {@value}. */
  public static final String DEFAULT_RETRY_INTERVAL = "1s";

  /** Default liveness window of a reader: {@value}. */
  public static final String DEFAULT_READER_LIVE_WITHIN = "10s";

  /**
   * Checks the durations.
   *
   * @throws IllegalArgumentException naming the key whose value is not positive
   */
  public CatalogConfiguration {
    requirePositive("poll-interval", pollInterval);
    requirePositive("retry-interval", retryInterval);
    requirePositive("reader-live-within", readerLiveWithin);
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(PREFIX + "." + key + " must be positive, was " + value);
    }
  }
}
