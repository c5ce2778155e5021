package dev.shardpipe.writer.consume;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.move.MoveSteps;
import java.sql.SQLException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the move steps that concern this writer's own database (docs/elasticity.md): as a move's
 * target it asks for the cutover once caught up and switches the placement once it has applied up
 * to the source's final offset; as a source it fences itself off the partition and, once no reader
 * uses it, drops its old copy on a thread of its own.
 */
final class MoveStepRunner implements MoveDuty {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final String topic;
  private final long cutoverLag;
  private final CatalogView catalog;
  private final MoveSteps moves;
  private final LoopState loop;
  private final PartitionAssignment assignment;
  private final AppliedPositions positions;
  private final ExecutorService cleaner;
  private final Set<Long> cleaning = ConcurrentHashMap.newKeySet();

  MoveStepRunner(
      String shard,
      String topic,
      long cutoverLag,
      CatalogView catalog,
      MoveSteps moves,
      LoopState loop,
      PartitionAssignment assignment,
      AppliedPositions positions) {
    this.shard = shard;
    this.topic = topic;
    this.cutoverLag = cutoverLag;
    this.catalog = catalog;
    this.moves = moves;
    this.loop = loop;
    this.assignment = assignment;
    this.positions = positions;
    this.cleaner =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "shard-writer-" + shard + "-cleaner");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void close() {
    cleaner.shutdownNow();
  }

  /**
   * Runs the move steps that concern this shard's own database, as the catalog snapshot shows them.
   * Each step is idempotent and changes the catalog only when its condition holds, so running them
   * after every poll is cheap; a step that fails is logged and tried again after the next poll.
   * Dropping an old copy may wait for readers and locks, so it runs on its own thread.
   */
  @Override
  public void afterPoll(Consumer<byte[], byte[]> kafka, CatalogSnapshot snapshot) {
    if (!catalog.connected() || snapshot.activeMoves().isEmpty()) {
      return;
    }
    boolean changed = false;
    for (Move move : snapshot.activeMoves()) {
      try {
        Move after = move;
        if (move.to().equals(shard)) {
          if (move.state() == MoveState.CATCHING_UP && assignment.contains(move.partition())) {
            OptionalLong lag = kafka.currentLag(new TopicPartition(topic, move.partition()));
            if (lag.isPresent()) {
              after = moves.requestCutoverIfCaughtUp(move, lag.getAsLong(), cutoverLag);
            }
          } else if (move.state() == MoveState.CUTOVER && move.finalOffset() != null) {
            Long applied = positions.of(move.partition());
            after = moves.switchIfCaughtUp(move, applied == null ? 0L : applied);
          }
        } else if (move.from().equals(shard)) {
          if (move.state() == MoveState.CUTOVER && move.finalOffset() == null) {
            after = moves.fenceSource(move);
          } else if (move.state() == MoveState.CLEANING && cleaning.add(move.id())) {
            cleaner.execute(() -> clean(move));
          }
        }
        changed |=
            after.state() != move.state()
                || !Objects.equals(after.finalOffset(), move.finalOffset());
      } catch (SQLException | RuntimeException e) {
        LOG.warn(
            "shard [{}] partition [{}]: move [{}] step in state {} failed, tried again after the"
                + " next poll: {}",
            shard,
            move.partition(),
            move.id(),
            move.state().label(),
            e.toString());
      }
    }
    if (changed) {
      loop.requestReassign();
      try {
        catalog.refresh();
      } catch (RuntimeException e) {
        LOG.debug("shard [{}]: reading the catalog after a move step failed", shard, e);
      }
    }
  }

  /** Drops a moved partition's old copy here once no reader uses it, trying every second. */
  private void clean(Move move) {
    try {
      Move now = move;
      while (!loop.stopping() && now.state() == MoveState.CLEANING) {
        now = moves.cleanIfUnread(now);
        if (now.state() == MoveState.CLEANING) {
          Thread.sleep(1_000);
          now = catalog.current().activeMoveOf(move.partition()).orElse(now);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "shard [{}] partition [{}]: dropping the old copy of move [{}] failed, tried again"
              + " later: {}",
          shard,
          move.partition(),
          move.id(),
          e.toString());
    } finally {
      cleaning.remove(move.id());
    }
  }
}
