package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.Move;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shardctl abort MOVE_ID}. */
@Command(
    name = "abort",
    description =
        "Rolls a move back before its cutover: the source keeps the partition, the target's copy"
            + " is dropped. Refused once the source has been fenced (`shardctl resume` finishes"
            + " such a move).")
final class AbortCommand extends SessionCommand {

  @Parameters(index = "0", paramLabel = "MOVE_ID")
  long id;

  @Override
  int run(Session session, PrintWriter out) throws Exception {
    Move move = session.steps().abort(id, Session.ACTOR);
    out.printf(
        "move %d aborted: partition %d stays on %s; the copy on %s is dropped%n",
        move.id(), move.partition(), move.from(), move.to());
    return 0;
  }
}
