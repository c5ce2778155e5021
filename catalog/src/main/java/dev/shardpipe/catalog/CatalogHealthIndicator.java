package dev.shardpipe.catalog;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The {@code catalog} entry of {@code /health}: UP while the catalog is read, {@value #DEGRADED}
 * while it is unreachable and the service goes on with the last placement it saw. Degraded is
 * operational (HTTP 200): the service still serves, and no move can start until the catalog is
 * back, so taking it out of rotation would only make things worse.
 */
@Singleton
final class CatalogHealthIndicator implements HealthIndicator {

  /** The entry's name in {@code /health}. */
  static final String NAME = "catalog";

  /** The status while the catalog is unreachable: {@value}. */
  static final String DEGRADED = "DEGRADED";

  private static final HealthStatus DEGRADED_STATUS =
      new HealthStatus(
          DEGRADED, "catalog unreachable; serving the last placement seen", true, null);

  private final CatalogWatcher watcher;

  CatalogHealthIndicator(CatalogWatcher watcher) {
    this.watcher = watcher;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    CatalogSnapshot snapshot = watcher.current();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", snapshot.version());
    details.put("moves", snapshot.activeMoves().size());
    details.put("last_checked", watcher.lastChecked().toString());
    String error = watcher.lastError();
    if (error != null) {
      details.put("error", error);
    }
    HealthStatus status = watcher.connected() ? HealthStatus.UP : DEGRADED_STATUS;
    return Mono.just(HealthResult.builder(NAME, status).details(details).build());
  }
}
