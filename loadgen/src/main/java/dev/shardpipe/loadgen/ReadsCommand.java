package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.drive.DriverResult;
import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.observe.Machine;
import dev.shardpipe.loadgen.reads.ReadKind;
import dev.shardpipe.loadgen.reads.ReadLoad;
import dev.shardpipe.loadgen.shards.CatalogView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen reads}: routed or merged reads at a fixed rate, from query-service or from the
 * same SQL on the shards; the read half of the benchmark suite.
 */
@Command(
    name = "reads",
    mixinStandardHelpOptions = true,
    description = {
      "Reads pages of tweets at a fixed rate, open-loop: routed (owner_id and location) or merged"
          + " (newest of all shards), through query-service or, with --sql, the statements"
          + " query-service runs executed on the shards directly. Every answer must be a full page"
          + " (limit items, partial false); anything else counts as failed."
    })
final class ReadsCommand implements Callable<Integer> {

  @Option(
      names = "--read",
      defaultValue = "routed",
      description = "routed or merged. Default: ${DEFAULT-VALUE}.")
  private ReadKind read;

  @Option(names = "--sql", description = "Run the statements on the shards instead of HTTP.")
  private boolean sql;

  @Option(
      names = "--rate",
      defaultValue = "500",
      description = "Requests/s. Default: ${DEFAULT-VALUE}.")
  private double rate;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Requests in flight at most. Default: ${DEFAULT-VALUE}.")
  private int concurrency;

  @Option(names = "--warmup", defaultValue = "PT20S", description = "Default: ${DEFAULT-VALUE}.")
  private Duration warmup;

  @Option(names = "--duration", defaultValue = "PT60S", description = "Default: ${DEFAULT-VALUE}.")
  private Duration duration;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Rows per page. Default: ${DEFAULT-VALUE}.")
  private int limit;

  @Option(
      names = "--owners",
      defaultValue = "5000",
      description = "owner_id drawn from 1..this. Default: ${DEFAULT-VALUE}.")
  private long owners;

  @Option(
      names = "--locations",
      defaultValue = "europe,usa,asia",
      split = ",",
      description = "Locations drawn from. Default: ${DEFAULT-VALUE}.")
  private List<String> locations;

  @Option(names = "--seed", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  private long seed;

  @Option(
      names = "--query-url",
      defaultValue = SendOptions.DEFAULT_QUERY_URL,
      description = "Default: ${DEFAULT-VALUE}.")
  private URI queryUrl;

  /** The routing of owners and locations; for --sql also the shards, from the catalog. */
  @Mixin private CatalogOptions catalog;

  @Mixin private TokenOption token;

  @Spec private CommandSpec command;

  @Option(names = "--summary-json", description = "Also write the summary as JSON to this file.")
  private @Nullable Path summaryJson;

  /**
   * The machine-readable summary of a read load.
   *
   * @param startedAt when it started, RFC 3339
   * @param target query-service's address, or the shards
   * @param read routed or merged
   * @param limit rows per page
   * @param run requests, failures by cause, rates, latency in milliseconds from when each was due
   * @param machineBefore cores and load average at the start
   * @param machineAfter the same at the end
   */
  @Serdeable
  record ReadSummary(
      String startedAt,
      String target,
      String read,
      int limit,
      DriverResult run,
      Machine machineBefore,
      Machine machineAfter) {}

  @Override
  public Integer call() throws Exception {
    ReadLoad.Plan plan =
        new ReadLoad.Plan(
            read, rate, concurrency, warmup, duration, limit, owners, locations, seed);
    CatalogOptions.CatalogSettings shards;
    try {
      shards = catalog.settings();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
    String startedAt = Clock.systemUTC().instant().toString();
    Machine before = Machine.now();
    DriverResult run;
    String description;
    if (sql) {
      try (CatalogView view = shards.open("loadgen-reads")) {
        ReadLoad.Target target =
            new ReadLoad.Target(
                true,
                queryUrl,
                view,
                shards.databaseUser(),
                shards.databasePassword(),
                shards.topology().routing(),
                token.token());
        description = "sql on the shards of the catalog at " + shards.url();
        run = ReadLoad.run(target, plan);
      }
    } else {
      ReadLoad.Target target =
          new ReadLoad.Target(
              false, queryUrl, null, "", "", shards.topology().routing(), token.token());
      description = "http " + queryUrl;
      run = ReadLoad.run(target, plan);
    }
    ReadSummary summary =
        new ReadSummary(
            startedAt,
            description,
            read.name().toLowerCase(java.util.Locale.ROOT),
            limit,
            run,
            before,
            Machine.now());
    Percentiles p = run.latency();
    System.out.printf(
        "loadgen reads: %s %s, %,.0f requests/s asked, limit %d%n"
            + "  requests      %,d, %,d ok, %,d failed %s%n"
            + "  rate          %,.1f requests/s over %.1f s measured%n"
            + "  latency       ms p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f (from when due)%n"
            + "  machine       %d cores, load average %.2f at the start, %.2f at the end%n",
        summary.read(),
        summary.target(),
        rate,
        limit,
        run.requests(),
        run.requestsOk(),
        run.requestsFailed(),
        run.failures().isEmpty() ? "" : run.failures(),
        run.requestsPerSecond(),
        run.measuredSeconds(),
        p.p50(),
        p.p90(),
        p.p99(),
        p.p999(),
        p.max(),
        before.cores(),
        before.loadAverage(),
        summary.machineAfter().loadAverage());
    if (summaryJson != null) {
      Files.write(summaryJson, JsonMapper.createDefault().writeValueAsBytes(summary));
    }
    return run.requestsFailed() == 0 && run.unfinished() == 0 ? 0 : 1;
  }
}
