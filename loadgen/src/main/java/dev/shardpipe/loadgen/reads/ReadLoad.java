package dev.shardpipe.loadgen.reads;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.loadgen.drive.DriverResult;
import dev.shardpipe.loadgen.drive.LoadDriver;
import dev.shardpipe.loadgen.drive.Request;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A read load at a fixed rate, open-loop: routed or merged pages of {@code limit} tweets, each
 * checked (a {@code 200}, {@code limit} items, not partial), from query-service or from the same
 * SQL on the shards. Owners are drawn uniformly from {@code 1..owners} and locations from a list,
 * by seed.
 */
public final class ReadLoad {

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private ReadLoad() {}

  /**
   * Where to read from.
   *
   * @param sql true for the statements on the shards, false for query-service
   * @param queryUrl query-service's address
   * @param catalog for SQL reads, the catalog's current snapshot, taken anew for every request: the
   *     shards, their URLs and the placement; null for query-service
   * @param user the shards' database user
   * @param password their password
   * @param routing the pipeline's routing
   * @param token the bearer token for query-service, or null for none
   */
  public record Target(
      boolean sql,
      URI queryUrl,
      @Nullable Supplier<CatalogSnapshot> catalog,
      String user,
      String password,
      Routing routing,
      @Nullable String token) {}

  /**
   * What to read and how fast.
   *
   * @param kind routed or merged
   * @param requestsPerSecond the fixed rate, {@code > 0}
   * @param concurrency requests in flight at most
   * @param warmup sent first, not measured
   * @param duration measured time
   * @param limit rows per page
   * @param owners owners drawn from {@code 1..owners}
   * @param locations locations drawn from
   * @param seed the seed of the draws
   */
  public record Plan(
      ReadKind kind,
      double requestsPerSecond,
      int concurrency,
      Duration warmup,
      Duration duration,
      int limit,
      long owners,
      List<String> locations,
      long seed) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public Plan {
      if (!(requestsPerSecond > 0)) {
        throw new IllegalArgumentException(
            "--rate must be > 0 requests/s, was " + requestsPerSecond);
      }
      if (limit < 1 || limit > 1000) {
        throw new IllegalArgumentException("--limit must be 1 to 1000, was " + limit);
      }
      if (owners < 1) {
        throw new IllegalArgumentException("--owners must be >= 1, was " + owners);
      }
      if (locations.isEmpty()) {
        throw new IllegalArgumentException("--locations must name at least one location");
      }
      locations = List.copyOf(locations);
    }
  }

  /**
   * Runs the load and stops.
   *
   * @param target where to read
   * @param plan what and how fast
   * @return requests, failures by cause, rates and latency
   * @throws SQLException if the shards cannot be reached for SQL reads
   * @throws InterruptedException if interrupted
   */
  public static DriverResult run(Target target, Plan plan)
      throws SQLException, InterruptedException {
    try (ReadTarget reads =
        target.sql()
            ? new SqlReads(
                Objects.requireNonNull(target.catalog(), "catalog"),
                target.user(),
                target.password(),
                target.routing(),
                plan.limit(),
                plan.concurrency())
            : new HttpReads(target.queryUrl(), plan.limit(), plan.concurrency(), target.token())) {
      Random random = new Random(plan.seed());
      LoadDriver driver =
          new LoadDriver(
              new LoadDriver.Settings(
                  plan.requestsPerSecond(),
                  1,
                  plan.concurrency(),
                  plan.warmup(),
                  plan.duration(),
                  DRAIN_TIMEOUT));
      return driver.run(
          () -> {
            long owner = 1 + (long) (random.nextDouble() * plan.owners());
            String location = plan.locations().get(random.nextInt(plan.locations().size()));
            return new Request<>(1, () -> reads.read(plan.kind(), owner, location));
          },
          (request, rows, error, timing) -> {});
    }
  }
}
