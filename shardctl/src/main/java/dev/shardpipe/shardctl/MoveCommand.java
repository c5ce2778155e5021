package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.Move;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shardctl move P --to SHARD [--wait] [--allow-cross-region]}. */
@Command(
    name = "move",
    description = {
      "Moves one partition to another shard while traffic flows: copies its rows, then the target's"
          + " writer catches up from the copied offset, the source is fenced off and the placement"
          + " switches; the source's copy is dropped once no reader uses it.",
      "Returns once the target is catching up, or with --wait once the move is done."
    })
final class MoveCommand extends SessionCommand {

  @Parameters(index = "0", paramLabel = "P", description = "The partition, 0..P-1.")
  int partition;

  @Option(names = "--to", required = true, paramLabel = "SHARD", description = "The target shard.")
  String to;

  @Option(
      names = "--allow-cross-region",
      description = "Place a partition pinned to a region on a shard of another region anyway.")
  boolean allowCrossRegion;

  @Mixin WaitOptions waiting;

  @Override
  int run(Session session, PrintWriter out) throws InterruptedException {
    MoveDriver driver = new MoveDriver(session, out, err());
    Move move = driver.startAndCopy(partition, to, allowCrossRegion, waiting.wait);
    if (waiting.wait) {
      driver.await(List.of(move), waiting.timeout);
    }
    return 0;
  }
}
