package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.shardctl.plan.Plan;
import dev.shardpipe.shardctl.plan.Rebalancer;
import dev.shardpipe.shardctl.plan.Rebalancer.Measure;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shardctl drain SHARD [--wait]}. */
@Command(
    name = "drain",
    description = {
      "Marks a shard draining (it takes no new partitions) and moves every partition off it, to"
          + " the shards rebalance would choose. Then `shardctl remove-shard SHARD`.",
    })
final class DrainCommand extends SessionCommand {

  @Parameters(index = "0", paramLabel = "SHARD")
  String shard;

  @Option(
      names = "--by",
      paramLabel = "partitions|rows",
      defaultValue = "partitions",
      description = "Choose targets by the number of partitions (default) or rows per shard.")
  String by;

  @Mixin WaitOptions waiting;

  @Override
  int run(Session session, PrintWriter out) throws Exception {
    Measure measure = RebalanceCommand.measure(by);
    CatalogSnapshot before = session.snapshot();
    session.catalog().drain(shard, session.pins(before), Session.ACTOR);
    CatalogSnapshot catalog = session.snapshot();
    Plan plan =
        Rebalancer.drain(
            catalog,
            session.pins(catalog),
            measure,
            RebalanceCommand.rowsPerPartition(session, catalog, measure),
            shard);
    return RebalanceCommand.carryOut(session, out, err(), plan, false, waiting, "drain " + shard);
  }
}
