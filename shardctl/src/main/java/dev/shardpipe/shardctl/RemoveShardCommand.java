package dev.shardpipe.shardctl;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shardctl remove-shard SHARD}. */
@Command(
    name = "remove-shard",
    description =
        "Marks an empty shard removed: no service reads or writes it any more, and its writer"
            + " stops. Its database is kept. Refused while it holds partitions (drain it first).")
final class RemoveShardCommand extends SessionCommand {

  @Parameters(index = "0", paramLabel = "SHARD")
  String shard;

  @Override
  int run(Session session, PrintWriter out) {
    session.catalog().removeShard(shard, Session.ACTOR);
    out.println(
        "shard "
            + shard
            + " removed; its database is kept until you drop it ("
            + session.snapshot().shard(shard).orElseThrow().url()
            + ")");
    return 0;
  }
}
