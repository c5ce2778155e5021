package dev.shardpipe.writer.health;

import dev.shardpipe.writer.config.ShardPool;
import dev.shardpipe.writer.config.WriterShard;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Reports the shard's database in {@code /health} as {@code database}: UP when a connection from
 * the writer's pool answers PostgreSQL's validity check within a second, DOWN with the error
 * otherwise. Micronaut's own JDBC indicator only covers {@code datasources.*}, which the writer
 * does not use (its pool's URL comes from the catalog).
 */
@Singleton
final class ShardDatabaseHealthIndicator implements HealthIndicator {

  private static final int VALIDITY_TIMEOUT_SECONDS = 1;

  private final ShardPool pool;
  private final WriterShard shard;
  private final ExecutorService blocking;

  ShardDatabaseHealthIndicator(
      ShardPool pool, WriterShard shard, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.pool = pool;
    this.shard = shard;
    this.blocking = blocking;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(this::check, blocking));
  }

  private HealthResult check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("shard", shard.name());
    details.put("url", pool.displayUrl());
    HealthStatus status;
    try (Connection c = pool.dataSource().getConnection()) {
      status = c.isValid(VALIDITY_TIMEOUT_SECONDS) ? HealthStatus.UP : HealthStatus.DOWN;
      c.rollback();
    } catch (SQLException e) {
      status = HealthStatus.DOWN;
      details.put("error", e.toString());
    }
    return HealthResult.builder("database", status).details(details).build();
  }
}
