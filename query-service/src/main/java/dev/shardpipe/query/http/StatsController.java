package dev.shardpipe.query.http;

import dev.shardpipe.query.stats.Stats;
import dev.shardpipe.query.stats.StatsCollector;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /stats} (SPEC 7): per shard its partitions, rows per table and per partition, applied
 * and end offsets and lag, and totals. Always {@code 200}; what a shard or Kafka could not report
 * is {@code null}, and {@code partial} with {@code missing_shards} name the shards that did not
 * answer.
 */
@Controller("/stats")
@ExecuteOn(TaskExecutors.BLOCKING)
final class StatsController {

  private final StatsCollector stats;

  StatsController(StatsCollector stats) {
    this.stats = stats;
  }

  @Get
  Stats get() {
    return stats.collect();
  }
}
