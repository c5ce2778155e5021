package dev.shardpipe.writer.health;

import dev.shardpipe.writer.consume.ShardWriter;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Reports the writer in {@code /health}: UP while it consumes, DOWN while it waits to retry a
 * failing database or Kafka, while it holds a partition whose unapplied records Kafka deleted, and
 * once it has stopped; the details name the shard, its partitions, the held partitions with their
 * gaps ({@code dataLoss}) and the last error.
 */
@Singleton
final class WriterHealthIndicator implements HealthIndicator {

  private final ShardWriter writer;

  WriterHealthIndicator(ShardWriter writer) {
    this.writer = writer;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    ShardWriter.State state = writer.state();
    Map<Integer, ShardWriter.DataLoss> held = writer.dataLoss();
    HealthStatus status =
        switch (state) {
          case RUNNING -> held.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
          case STARTING -> HealthStatus.UNKNOWN;
          case RETRYING, STOPPED, FAILED -> HealthStatus.DOWN;
        };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("shard", writer.shard().name());
    details.put("partitions", writer.assignment());
    details.put("state", state.name());
    if (!held.isEmpty()) {
      details.put("dataLoss", held);
    }
    if (writer.lastError() != null) {
      details.put("lastError", writer.lastError());
    }
    return Publishers.just(HealthResult.builder("shard-writer", status).details(details).build());
  }
}
