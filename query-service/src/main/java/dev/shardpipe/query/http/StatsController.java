package dev.shardpipe.query.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.query.stats.Stats;
import dev.shardpipe.query.stats.StatsCache;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /stats} (docs/contract.md §7): per shard its partitions, rows per table and per
 * partition, applied and end offsets and lag, and totals. Always {@code 200}; what a shard or Kafka
 * could not report is {@code null}, {@code partial} says whether anything is, {@code
 * missing_shards} names the shards that did not answer and {@code uncounted_shards} those whose
 * rows were not counted in time.
 *
 * <p>Served from {@link StatsCache}, at most {@code shardpipe.query.stats-max-age} old, so no
 * thread waits here: the request completes when the shared collection does.
 */
@Secured({Roles.READ, Roles.ADMIN})
@Controller("/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stats")
final class StatsController {

  private final StatsCache stats;

  StatsController(StatsCache stats) {
    this.stats = stats;
  }

  @Get
  @Operation(
      summary = "Rows, offsets and lag per shard and partition",
      description =
          "Always 200. A number that could not be read is null, and so is every total that needs"
              + " it; partial says whether any is. Offsets and lag are read within"
              + " shardpipe.query.query-timeout, row counts within shardpipe.query.stats-timeout."
              + " Collected at most once per shardpipe.query.stats-max-age (1 s) for all clients.")
  CompletableFuture<Stats> get() {
    return stats.get();
  }
}
