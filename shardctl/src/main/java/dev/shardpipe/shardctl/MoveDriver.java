package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.move.MoveSteps;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;

/**
 * Drives moves the way docs/elasticity.md describes shardctl's part: starts a move, copies the
 * partition itself (the step nobody else runs while shardctl is alive), and, when asked to wait,
 * runs whichever step is next until the move is done. The writers run the same steps as they notice
 * them; every step is idempotent, so whoever runs one first wins and the other changes nothing.
 */
final class MoveDriver {

  private static final Duration POLL = Duration.ofMillis(500);

  private final Session session;
  private final PrintWriter out;
  private final PrintWriter err;

  MoveDriver(Session session, PrintWriter out, PrintWriter err) {
    this.session = session;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts a move and copies the partition: returns once the target's writer is catching up.
   *
   * @throws dev.shardpipe.catalog.CatalogRefusedException if the catalog refuses the move
   * @throws ShardctlException if the copy fails; the move stays in {@code copying}
   */
  Move startAndCopy(int partition, String to, boolean allowCrossRegion, boolean bar)
      throws InterruptedException {
    CatalogSnapshot now = session.snapshot();
    Move move =
        session
            .catalog()
            .startMove(partition, to, session.pins(now), allowCrossRegion, Session.ACTOR);
    out.printf(
        "move %d: partition %d %s -> %s, copying%n",
        move.id(), move.partition(), move.from(), move.to());
    out.flush();
    return copy(move, bar);
  }

  /**
   * Copies a move's partition ({@code copying -> catching_up}); with {@code bar}, shows the rows
   * copied as the copy reports them to the catalog.
   */
  Move copy(Move move, boolean bar) throws InterruptedException {
    Move copied;
    Thread watcher = null;
    AtomicBoolean copying = new AtomicBoolean(true);
    if (bar) {
      watcher = copyBar(move, copying);
    }
    try {
      copied = session.steps().copy(move);
    } catch (SQLException | RuntimeException e) {
      throw new ShardctlException(
          "move "
              + move.id()
              + ": copying partition "
              + move.partition()
              + " from "
              + move.from()
              + " to "
              + move.to()
              + " failed: "
              + ShardctlCommand.reason(e)
              + "; `shardctl resume` copies again, `shardctl abort "
              + move.id()
              + "` rolls back",
          e);
    } finally {
      copying.set(false);
      if (watcher != null) {
        watcher.join();
      }
    }
    if (copied.state() == MoveState.ABORTED) {
      throw new ShardctlException(
          "move "
              + move.id()
              + " was aborted while copying; partition "
              + move.partition()
              + " stays on "
              + move.from());
    }
    out.printf(
        "move %d: partition %d copied to %s (%d rows at offset %s); the writer of %s catches up%n",
        copied.id(),
        copied.partition(),
        copied.to(),
        copied.rowsCopied(),
        copied.snapshotOffset() == null ? "-" : copied.snapshotOffset().toString(),
        copied.to());
    out.flush();
    return copied;
  }

  private Thread copyBar(Move move, AtomicBoolean copying) {
    long total;
    try {
      total =
          ShardReads.rowsToCopy(
              session.database(session.snapshot().shard(move.from()).orElseThrow()),
              move.partition());
    } catch (SQLException e) {
      total = 0;
    }
    long max = total;
    Thread thread =
        new Thread(
            () -> {
              try (ProgressBar progress =
                  Progress.bar(err, "move " + move.id() + " copy", max, " rows")) {
                while (copying.get()) {
                  session
                      .catalog()
                      .move(move.id())
                      .ifPresent(m -> progress.stepTo(Math.min(max, m.rowsCopied())));
                  sleep(POLL);
                }
                session.catalog().move(move.id()).ifPresent(m -> progress.stepTo(m.rowsCopied()));
              }
            },
            "copy-progress");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Runs the moves' next steps until every one is done, showing the lag of the partitions still
   * catching up.
   *
   * @param moves the moves, copied already
   * @param timeout how long to wait at most
   * @throws ShardctlException if a move is aborted meanwhile, or time runs out (the moves go on)
   */
  void await(List<Move> moves, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Map<Long, Move> pending = new LinkedHashMap<>();
    moves.forEach(m -> pending.put(m.id(), m));
    Map<Long, Long> lags = lags(new ArrayList<>(pending.values()));
    long firstLag = Math.max(1, lags.values().stream().mapToLong(Long::longValue).sum());
    String task = moves.size() == 1 ? "move " + moves.get(0).id() + " lag" : "moves";
    long max = moves.size() == 1 ? firstLag : moves.size();
    try (ProgressBar progress = Progress.bar(err, task, max, moves.size() == 1 ? " events" : "")) {
      while (!pending.isEmpty()) {
        lags = lags(new ArrayList<>(pending.values()));
        for (Move m : new ArrayList<>(pending.values())) {
          Move now = advance(m, lags.get(m.id()));
          pending.put(now.id(), now);
          if (now.state() == MoveState.ABORTED) {
            throw new ShardctlException(
                "move "
                    + now.id()
                    + " was aborted; partition "
                    + now.partition()
                    + " stays on "
                    + now.from());
          }
          if (now.state() == MoveState.DONE) {
            pending.remove(now.id());
            progress.pause();
            out.printf(
                "move %d: partition %d is on %s; done%n", now.id(), now.partition(), now.to());
            out.flush();
            progress.resume();
          }
        }
        long lag = lags.values().stream().mapToLong(Long::longValue).sum();
        if (moves.size() == 1) {
          progress.stepTo(Math.max(0, firstLag - lag));
        } else {
          progress.stepTo(moves.size() - pending.size());
        }
        progress.setExtraMessage(states(pending));
        if (pending.isEmpty()) {
          progress.stepTo(max);
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          Move first = pending.values().iterator().next();
          throw new ShardctlException(
              "waited "
                  + timeout.toSeconds()
                  + " s: move "
                  + first.id()
                  + " is "
                  + first.state().label()
                  + (lags.containsKey(first.id()) ? " (lag " + lags.get(first.id()) + ")" : "")
                  + "; the moves go on, see `shardctl status`; `shardctl resume` drives them");
        }
        sleep(POLL);
      }
    }
  }

  /**
   * Runs a move's next step once, reading it from the catalog first; a step that fails is reported
   * and left for the next round, as a writer would.
   */
  Move advance(Move move, @Nullable Long lag) {
    Move now = session.catalog().move(move.id()).orElse(move);
    if (!now.state().active()) {
      return now;
    }
    try {
      return session.steps().advance(now, lag, MoveSteps.DEFAULT_CUTOVER_LAG);
    } catch (SQLException | RuntimeException e) {
      err.println(
          "shardctl: warning: move "
              + now.id()
              + ": "
              + now.state().label()
              + " step failed: "
              + ShardctlCommand.reason(e));
      err.flush();
      return now;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardctlException("interrupted", e);
    }
  }

  /** Lag per move id of the moves whose target applies the partition now. */
  Map<Long, Long> lags(List<Move> moves) {
    List<Move> applying = new ArrayList<>();
    for (Move m : moves) {
      Move now = session.catalog().move(m.id()).orElse(m);
      if (StatusReader.applying(now)) {
        applying.add(now);
      }
    }
    return new StatusReader(session, err).lags(applying);
  }

  private static String states(Map<Long, Move> pending) {
    StringBuilder text = new StringBuilder();
    for (Move m : pending.values()) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(m.partition()).append(':').append(m.state().label());
    }
    return text.toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
