package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.shardctl.plan.Plan;
import dev.shardpipe.shardctl.plan.PlannedMove;
import dev.shardpipe.shardctl.plan.Rebalancer;
import dev.shardpipe.shardctl.plan.Rebalancer.Measure;
import dev.shardpipe.store.ShardSchema;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shardctl rebalance [--dry-run] [--wait] [--by rows]}. */
@Command(
    name = "rebalance",
    description = {
      "Moves the fewest partitions so that every active shard of a region holds its share of that"
          + " region's pinned partitions, and every active shard its share of the unpinned ones."
          + " Partitions on draining shards always move.",
    })
final class RebalanceCommand extends SessionCommand {

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Option(
      names = "--by",
      paramLabel = "partitions|rows",
      defaultValue = "partitions",
      description = "Balance the number of partitions (default) or the rows per shard.")
  String by;

  @Mixin WaitOptions waiting;

  @Override
  int run(Session session, PrintWriter out) throws Exception {
    Measure measure = measure(by);
    CatalogSnapshot catalog = session.snapshot();
    Plan plan =
        Rebalancer.rebalance(
            catalog, session.pins(catalog), measure, rowsPerPartition(session, catalog, measure));
    return carryOut(session, out, err(), plan, dryRun, waiting, "rebalance");
  }

  static Measure measure(String by) {
    return switch (by.toLowerCase(Locale.ROOT)) {
      case "partitions" -> Measure.PARTITIONS;
      case "rows" -> Measure.ROWS;
      default -> throw new ShardctlException("--by is partitions or rows, was " + by);
    };
  }

  /** Rows per partition on the shard that holds it, for {@code --by rows}; empty otherwise. */
  static Map<Integer, Long> rowsPerPartition(
      Session session, CatalogSnapshot catalog, Measure measure) throws SQLException {
    Map<Integer, Long> rows = new HashMap<>();
    if (measure != Measure.ROWS) {
      return rows;
    }
    for (var shard : catalog.shardList()) {
      if (shard.state() == ShardState.REMOVED) {
        continue;
      }
      for (int p : catalog.partitionsOf(shard.name())) {
        long n = 0;
        for (EventKind kind : EventKind.values()) {
          n += ShardReads.rows(session.database(shard), ShardSchema.rows(kind), List.of(p));
        }
        rows.put(p, n);
      }
    }
    return rows;
  }

  /** Prints a plan, and unless it is a dry run, starts and copies its moves, then maybe waits. */
  static int carryOut(
      Session session,
      PrintWriter out,
      PrintWriter err,
      Plan plan,
      boolean dryRun,
      WaitOptions waiting,
      String what)
      throws InterruptedException {
    plan.notes().forEach(note -> out.println("note: " + note));
    if (plan.moves().isEmpty()) {
      out.println(what + ": nothing to move (catalog version " + plan.version() + ")");
      return 0;
    }
    out.printf(
        "%s: %d move%s (catalog version %d)%n",
        what, plan.moves().size(), plan.moves().size() == 1 ? "" : "s", plan.version());
    for (PlannedMove m : plan.moves()) {
      out.printf("  partition %d: %s -> %s%n", m.partition(), m.from(), m.to());
    }
    List<String> shards = plan.after().values().stream().distinct().sorted().toList();
    out.print("after:");
    for (String shard : shards) {
      out.print(" " + shard + "=" + Rebalancer.ranges(plan.partitionsAfter(shard)));
    }
    out.println();
    out.flush();
    if (dryRun) {
      return 0;
    }
    MoveDriver driver = new MoveDriver(session, out, err);
    List<Move> started = new ArrayList<>();
    for (PlannedMove m : plan.moves()) {
      // Refused moves stop the command; those started go on and show in status.
      started.add(driver.startAndCopy(m.partition(), m.to(), false, false));
    }
    if (waiting.wait) {
      driver.await(started, waiting.timeout);
    }
    return 0;
  }
}
