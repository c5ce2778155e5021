package dev.shardpipe.query.shard;

import dev.shardpipe.core.placement.Placement;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reports each shard database in {@code /health} as its own entry, {@code shard-<name>}: UP when a
 * pooled connection is valid within the query timeout, DOWN otherwise, with the shard, its
 * partitions and, when DOWN, what failed. Any shard DOWN makes the whole service DOWN, although it
 * still answers merged reads from the other shards (marked partial).
 */
@Singleton
final class ShardHealthIndicator implements HealthIndicator {

  private final ScatterGather shards;
  private final Placement placement;
  private final ExecutorService executor;

  ShardHealthIndicator(
      ScatterGather shards,
      Placement placement,
      @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
    this.shards = shards;
    this.placement = placement;
    this.executor = executor;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    // JDBC blocks, and the health endpoint subscribes on an event loop.
    return Mono.fromCallable(this::check)
        .subscribeOn(Schedulers.fromExecutorService(executor))
        .flatMapIterable(results -> results);
  }

  private List<HealthResult> check() {
    Answers<Boolean> answers = shards.ask(placement.shards(), (c, shard) -> c.isValid(1));
    List<HealthResult> results = new ArrayList<>();
    for (String shard : placement.shards()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("shard", shard);
      details.put("partitions", placement.partitionsOf(shard));
      HealthStatus status;
      if (Boolean.TRUE.equals(answers.answers().get(shard))) {
        status = HealthStatus.UP;
      } else {
        status = HealthStatus.DOWN;
        ShardFailure failure = answers.failures().get(shard);
        details.put(
            "error",
            failure == null ? "the connection is not valid" : "the shard " + failure.description());
      }
      results.add(HealthResult.builder("shard-" + shard, status).details(details).build());
    }
    return results;
  }
}
