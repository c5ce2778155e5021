package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code shardctl resume}. */
@Command(
    name = "resume",
    description =
        "Finishes interrupted moves: copies again those left copying (the copy is shardctl's"
            + " step), and runs the next steps of the others until they are done or wait on a"
            + " writer or on readers; with --wait, until they are done.")
final class ResumeCommand extends SessionCommand {

  @Mixin WaitOptions waiting;

  @Override
  int run(Session session, PrintWriter out) throws Exception {
    List<Move> active = session.snapshot().activeMoves();
    if (active.isEmpty()) {
      out.println("no move under way");
      return 0;
    }
    MoveDriver driver = new MoveDriver(session, out, err());
    List<Move> resumed = new ArrayList<>();
    for (Move move : active) {
      Move now = move;
      if (now.state() == MoveState.COPYING) {
        now = driver.copy(now, false);
      }
      // Each round runs one step; a round that changes nothing waits on a writer or the readers.
      while (now.state().active()) {
        Map<Long, Long> lags = driver.lags(List.of(now));
        Move next = driver.advance(now, lags.get(now.id()));
        if (next.state() == now.state() && sameOffsets(next, now)) {
          break;
        }
        now = next;
      }
      out.printf(
          "move %d: partition %d %s -> %s is %s%s%n",
          now.id(), now.partition(), now.from(), now.to(), now.state().label(), waitsOn(now));
      resumed.add(now);
    }
    if (waiting.wait) {
      driver.await(resumed, waiting.timeout);
    }
    return 0;
  }

  private static boolean sameOffsets(Move a, Move b) {
    return java.util.Objects.equals(a.finalOffset(), b.finalOffset());
  }

  private static String waitsOn(Move m) {
    return switch (m.state()) {
      case CATCHING_UP -> "; the writer of " + m.to() + " catches up";
      case CUTOVER -> "; the writer of " + m.to() + " applies up to offset " + m.finalOffset();
      case CLEANING -> "; the copy on " + m.from() + " is dropped once no reader uses it";
      default -> "";
    };
  }
}
