package dev.shardpipe.shardctl;

import dev.shardpipe.shardctl.status.StatusJson;
import dev.shardpipe.shardctl.status.StatusReport;
import dev.shardpipe.shardctl.status.StatusText;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shardctl status [--json]}. */
@Command(
    name = "status",
    description =
        "Shows the shards, the placement, each shard's rows, and the moves with their lag.")
final class StatusCommand extends SessionCommand {

  @Option(names = "--json", description = "Print one JSON object (docs/elasticity.md shows it).")
  boolean json;

  @Override
  int run(Session session, PrintWriter out) throws Exception {
    StatusReport report = new StatusReader(session, err()).read();
    if (json) {
      StatusJson.write(report, out);
    } else {
      StatusText.write(report, Instant.now(), out);
    }
    return 0;
  }
}
