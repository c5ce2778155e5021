package dev.shardpipe.move;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.store.AppliedOffsets;
import dev.shardpipe.store.CopyResult;
import dev.shardpipe.store.PartitionCopy;
import dev.shardpipe.store.ShardStore;
import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of moving a partition from a source shard A to a target shard B while both keep running
 * (docs/elasticity.md). Each step reads the move's state from the catalog, does its work only if
 * the move is where the step applies, and records the outcome in the catalog; every step is
 * idempotent, so whoever notices a move that needs a step may run it: the writers run the steps
 * that touch their own shard as they see them, and {@code shardctl resume} runs any.
 *
 * <ol>
 *   <li>{@link #copy}: {@code copying -> catching_up}. One snapshot of A's rows and applied offset
 *       o for the partition is copied into B in one transaction on B; B's writer then applies the
 *       partition from o, like after a restart (upserts are idempotent and ruled by {@code
 *       occurred_at}, so replaying from o is exact).
 *   <li>{@link #requestCutoverIfCaughtUp}: {@code catching_up -> cutover} once B is within {@code
 *       cutoverLag} records of the end of the partition.
 *   <li>{@link #fenceSource}: A's offset row for the partition is fenced, so A's next commit of it
 *       fails the offset compare-and-set; A's final offset f is recorded.
 *   <li>{@link #switchIfCaughtUp}: once B has applied up to f, placement names B ({@code cutover ->
 *       cleaning}); readers switch with the new version.
 *   <li>{@link #cleanIfUnread}: once every live reader uses that version and a grace period has
 *       passed, A's child tables of the partition are dropped ({@code cleaning -> done}).
 * </ol>
 *
 * <p>{@link #abort} rolls a move back before its cutover. Thread-safe.
 */
public final class MoveSteps {

  /** Default lag, in records, under which the target is close enough to cut over: {@value}. */
  public static final long DEFAULT_CUTOVER_LAG = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(MoveSteps.class);

  private final Catalog catalog;
  private final ShardDataSources shards;
  private final String topic;
  private final Duration readerLiveWithin;
  private final Duration readerGrace;
  private final Clock clock;

  /**
   * Creates the steps.
   *
   * @param catalog the catalog
   * @param shards pools to the shards, by the catalog's URLs
   * @param topic the events topic, the key of {@code applied_offsets}
   * @param readerLiveWithin a reader not seen for this long is taken to be gone
   * @param readerGrace how long after the placement switch the source's copy is kept at least, so
   *     that a request that took the old placement just before the switch still finds its rows: at
   *     least the readers' query timeout
   * @param clock the time source
   */
  public MoveSteps(
      Catalog catalog,
      ShardDataSources shards,
      String topic,
      Duration readerLiveWithin,
      Duration readerGrace,
      Clock clock) {
    this.catalog = catalog;
    this.shards = shards;
    this.topic = topic;
    this.readerLiveWithin = readerLiveWithin;
    this.readerGrace = readerGrace;
    this.clock = clock;
  }

  /**
   * Copies the partition from the source to the target and records the copy: {@code copying ->
   * catching_up}. Running it again redoes the copy (the target's copy is replaced in one
   * transaction). If the move was aborted while copying, the target's copy is removed again.
   *
   * @param move a move in state {@code copying}; other states are returned unchanged
   * @return the move as it is now
   * @throws SQLException if a shard fails; the move stays in {@code copying}, the error recorded
   * @throws InterruptedException if interrupted while removing an aborted copy
   */
  public Move copy(Move move) throws SQLException, InterruptedException {
    if (move.state() != MoveState.COPYING) {
      return move;
    }
    CatalogSnapshot now = catalog.load();
    DataSource from = shards.of(shard(now, move.from()));
    DataSource to = shards.of(shard(now, move.to()));
    long started = clock.millis();
    CopyResult result;
    try {
      result =
          PartitionCopy.copy(
              from, to, topic, move.partition(), rows -> catalog.copyProgress(move.id(), rows));
    } catch (SQLException | RuntimeException e) {
      catalog.recordError(move.id(), "copy failed: " + e.getMessage());
      throw e;
    }
    Move copied = catalog.copied(move.id(), result.snapshotOffset(), result.rows());
    LOG.info(
        "move [{}] partition [{}] {} -> {}: copied {} rows at offset {} in {} ms",
        move.id(),
        move.partition(),
        move.from(),
        move.to(),
        result.rows(),
        result.snapshotOffset(),
        clock.millis() - started);
    if (copied.state() == MoveState.ABORTED) {
      undoTarget(now, copied);
    }
    return copied;
  }

  /**
   * Asks for the cutover once the target is close to the end of the partition: {@code catching_up
   * -> cutover}.
   *
   * @param move a move in state {@code catching_up}; other states are returned unchanged
   * @param targetLag records of the partition the target has yet to apply
   * @param cutoverLag the most records the target may lag for the cutover to start
   * @return the move as it is now
   */
  public Move requestCutoverIfCaughtUp(Move move, long targetLag, long cutoverLag) {
    if (move.state() != MoveState.CATCHING_UP || targetLag > cutoverLag) {
      return move;
    }
    LOG.info(
        "move [{}] partition [{}]: target {} is {} records behind, cutting over",
        move.id(),
        move.partition(),
        move.to(),
        targetLag);
    return catalog.requestCutover(move.id());
  }

  /**
   * Fences the source off the partition and records its final offset. The source's writer runs this
   * when the partition leaves its assignment; the fence is the offset row's compare-and-set, so it
   * holds even against a source writer that has not noticed yet.
   *
   * @param move a move in state {@code cutover} without a final offset; others are returned
   *     unchanged
   * @return the move as it is now
   * @throws SQLException if the source's database fails
   */
  public Move fenceSource(Move move) throws SQLException {
    if (move.state() != MoveState.CUTOVER || move.finalOffset() != null) {
      return move;
    }
    CatalogSnapshot now = catalog.load();
    long finalOffset = store(now, move.from()).fence(move.partition());
    LOG.info(
        "move [{}] partition [{}]: source {} fenced at offset {}",
        move.id(),
        move.partition(),
        move.from(),
        finalOffset);
    return catalog.fenced(move.id(), finalOffset);
  }

  /**
   * Switches the placement to the target once it has applied up to the source's final offset:
   * {@code cutover -> cleaning}.
   *
   * @param move a move in state {@code cutover} with a final offset; others are returned unchanged
   * @param targetApplied the target's applied offset of the partition, or null to read it from the
   *     target's database
   * @return the move as it is now
   * @throws SQLException if the target's database fails
   */
  public Move switchIfCaughtUp(Move move, @Nullable Long targetApplied) throws SQLException {
    if (move.state() != MoveState.CUTOVER || move.finalOffset() == null) {
      return move;
    }
    long applied = targetApplied != null ? targetApplied : appliedOnTarget(move);
    if (applied < move.finalOffset()) {
      return move;
    }
    Move switched = catalog.switchPlacement(move.id());
    LOG.info(
        "move [{}] partition [{}]: placed on {} from version {}",
        move.id(),
        move.partition(),
        move.to(),
        switched.cutoverVersion());
    return switched;
  }

  /**
   * Drops the source's copy once no reader can still use it: {@code cleaning -> done}. Waits for
   * nothing: when a reader still uses an older version, or the grace period since the switch has
   * not passed, the move is returned unchanged and the step is run again later.
   *
   * @param move a move in state {@code cleaning}; others are returned unchanged
   * @return the move as it is now
   * @throws SQLException if the source's database fails
   * @throws InterruptedException if interrupted while waiting for the drop's locks
   */
  public Move cleanIfUnread(Move move) throws SQLException, InterruptedException {
    if (move.state() != MoveState.CLEANING || move.cutoverVersion() == null) {
      return move;
    }
    Instant switchedAt = move.updatedAt();
    if (clock.instant().isBefore(switchedAt.plus(readerGrace))
        || !catalog.readersAtLeast(move.cutoverVersion(), readerLiveWithin)) {
      return move;
    }
    CatalogSnapshot now = catalog.load();
    store(now, move.from()).dropPartition(move.partition());
    LOG.info(
        "move [{}] partition [{}]: dropped from {}; done",
        move.id(),
        move.partition(),
        move.from());
    return catalog.finish(move.id());
  }

  /**
   * Rolls a move back before its cutover: the catalog records it aborted (so the target's writer
   * stops catching up), then the target is fenced off the partition and its copy dropped. The
   * source never stopped applying the partition, so nothing else changes.
   *
   * @param id the move
   * @param actor who aborts it, for the history
   * @return the move as it is now
   * @throws dev.shardpipe.catalog.CatalogRefusedException if there is no such move, or it is past
   *     its cutover
   * @throws SQLException if the target's database fails; run it again
   * @throws InterruptedException if interrupted while waiting for the drop's locks
   */
  public Move abort(long id, String actor) throws SQLException, InterruptedException {
    Move aborted = catalog.abort(id, actor);
    undoTarget(catalog.load(), aborted);
    return aborted;
  }

  /**
   * Runs whichever step the move needs next, once. Steps that wait on a writer (catching up,
   * applying up to the final offset) or on readers return the move unchanged.
   *
   * @param move an active move
   * @param targetLag records of the partition the target has yet to apply, or null when unknown
   * @param cutoverLag the most records the target may lag for the cutover to start
   * @return the move as it is now
   * @throws SQLException if a shard fails
   * @throws InterruptedException if interrupted
   */
  public Move advance(Move move, @Nullable Long targetLag, long cutoverLag)
      throws SQLException, InterruptedException {
    return switch (move.state()) {
      case COPYING -> copy(move);
      case CATCHING_UP ->
          targetLag == null ? move : requestCutoverIfCaughtUp(move, targetLag, cutoverLag);
      case CUTOVER -> move.finalOffset() == null ? fenceSource(move) : switchIfCaughtUp(move, null);
      case CLEANING -> cleanIfUnread(move);
      case DONE, ABORTED -> move;
    };
  }

  /**
   * Reads the target's applied offset of the move's partition.
   *
   * @param move the move
   * @return the next offset the target applies; 0 when it has applied nothing (or is fenced)
   * @throws SQLException if the target's database fails
   */
  public long appliedOnTarget(Move move) throws SQLException {
    DataSource to = shards.of(shard(catalog.load(), move.to()));
    try (Connection c = to.getConnection()) {
      try {
        Map<Integer, Long> applied = AppliedOffsets.read(c, topic, List.of(move.partition()));
        return applied.getOrDefault(move.partition(), 0L);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    }
  }

  private void undoTarget(CatalogSnapshot now, Move move)
      throws SQLException, InterruptedException {
    ShardStore target = store(now, move.to());
    target.fence(move.partition());
    target.dropPartition(move.partition());
    LOG.info(
        "move [{}] partition [{}]: aborted; the copy on {} is dropped",
        move.id(),
        move.partition(),
        move.to());
  }

  private ShardStore store(CatalogSnapshot now, String shard) {
    return new ShardStore(shards.of(shard(now, shard)), shard, topic);
  }

  private static Shard shard(CatalogSnapshot now, String name) {
    return now.shard(name)
        .orElseThrow(() -> new IllegalStateException("the catalog has no shard " + name));
  }
}
