package dev.shardpipe.query.shard;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.PlacementSource;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reports the shard databases in {@code /health} and {@code /health/readiness} as one entry, {@code
 * shards}, with each shard's own status under it: UP when a pooled connection is valid within the
 * query timeout, DOWN otherwise, with its partitions and, when DOWN, what failed.
 *
 * <p>Each check asks the shards of the current placement, each with the partitions placed on it, so
 * a shard added to the catalog appears here as soon as the service sees the change (with no
 * partitions until one is moved to it), and a removed one disappears.
 *
 * <p>The entry is UP while at least one shard is: the service then still answers merged reads
 * (marked partial) and routed reads to the shards that are up, and taking it out of a load balancer
 * would not help, since every instance sees the same shards. It is DOWN, and readiness with it,
 * only when no shard answers. Liveness ({@code /health/liveness}) never depends on the shards:
 * restarting the service does not bring a database back.
 */
@Singleton
@Readiness
final class ShardHealthIndicator implements HealthIndicator {

  /** The entry's name in {@code /health}. */
  static final String NAME = "shards";

  private final ScatterGather shards;
  private final PlacementSource placements;
  private final ExecutorService executor;

  ShardHealthIndicator(
      ScatterGather shards,
      PlacementSource placements,
      @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
    this.shards = shards;
    this.placements = placements;
    this.executor = executor;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    // JDBC blocks, and the health endpoint subscribes on an event loop.
    return Mono.fromCallable(this::check).subscribeOn(Schedulers.fromExecutorService(executor));
  }

  private HealthResult check() {
    Placement placement = placements.current();
    Answers<Boolean> answers = shards.ask(placement.shards(), (c, shard) -> c.isValid(1));
    Map<String, Object> details = new LinkedHashMap<>();
    boolean anyUp = false;
    for (String shard : placement.shards()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      boolean up = Boolean.TRUE.equals(answers.answers().get(shard));
      anyUp |= up;
      detail.put("status", up ? HealthStatus.UP.getName() : HealthStatus.DOWN.getName());
      detail.put("partitions", placement.partitionsOf(shard));
      if (!up) {
        ShardFailure failure = answers.failures().get(shard);
        detail.put(
            "error",
            failure == null ? "the connection is not valid" : "the shard " + failure.description());
      }
      details.put(shard, detail);
    }
    return HealthResult.builder(NAME, anyUp ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }
}
