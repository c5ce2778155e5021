package dev.shardpipe.writer.consume;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.store.AppliedBatch;
import dev.shardpipe.store.OffsetFencedException;
import dev.shardpipe.store.PartitionFencedException;
import dev.shardpipe.store.RefusedEvent;
import dev.shardpipe.store.ShardSink;
import io.micronaut.core.annotation.Nullable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A {@link ShardSink} in memory that keeps the PostgreSQL store's promises: a batch's rows and its
 * offset commit together or not at all; the offset advances by compare-and-set from the expected
 * value, only forward, only while the partition is not fenced; a batch whose commit succeeded is
 * recognised when applied again, writes nothing and reports what that commit wrote; the version
 * rule (a newer {@code occurred_at} wins, a delete leaves a tombstone) decides which rows change.
 * Tests also make it fail the way a database does: before the commit, after the commit (the
 * acknowledgement lost), or by refusing events.
 */
final class InMemoryShardSink implements ShardSink {

  /** SQLSTATE of a check constraint violation, which the writer takes for refused data. */
  static final String CHECK_VIOLATION = "23514";

  /** SQLSTATE of a lost connection, which the writer retries. */
  static final String CONNECTION_FAILURE = "08006";

  private record Offset(long next, boolean fenced) {}

  private final String shard;
  private final Map<Integer, Offset> offsets = new HashMap<>();
  private final Map<Integer, Map<UUID, Event>> rows = new HashMap<>();
  private final Map<Integer, Map<UUID, Instant>> tombstones = new HashMap<>();
  private final Set<Integer> ensured = new HashSet<>();
  private final Queue<SQLException> beforeCommit = new ArrayDeque<>();
  private final Queue<SQLException> afterCommit = new ArrayDeque<>();
  private final Map<Integer, AppliedBatch> unacknowledged = new HashMap<>();
  private Function<Event, @Nullable String> refusal = event -> null;
  private final List<Long> attempts = new ArrayList<>();
  private int migrations;
  private int commits;
  private int rowsWritten;

  InMemoryShardSink(String shard) {
    this.shard = shard;
  }

  // ---- what tests arrange

  /** The next applies fail with these errors before anything is committed. */
  synchronized void failBeforeCommit(SQLException... errors) {
    beforeCommit.addAll(List.of(errors));
  }

  /** The next apply commits, then its acknowledgement is lost: the caller sees this error. */
  synchronized void loseNextAcknowledgement() {
    afterCommit.add(new SQLException("connection lost after commit", CONNECTION_FAILURE));
  }

  /** Events for which the function names a reason are refused, as a check constraint would. */
  synchronized void refuse(Function<Event, @Nullable String> refusal) {
    this.refusal = refusal;
  }

  /** Another owner takes the partition: its offset row is fenced, as a move's fence does. */
  synchronized long fence(int partition) {
    Offset row = offsets.getOrDefault(partition, new Offset(0, false));
    offsets.put(partition, new Offset(row.next(), true));
    return row.next();
  }

  /** Stores an offset as another writer, or a copy made by a move, would. */
  synchronized void storeOffset(int partition, long next) {
    offsets.put(partition, new Offset(next, false));
  }

  // ---- what tests read

  synchronized @Nullable Long offset(int partition) {
    Offset row = offsets.get(partition);
    return row == null ? null : row.next();
  }

  synchronized Map<UUID, Event> rows(int partition) {
    return Map.copyOf(rows.getOrDefault(partition, Map.of()));
  }

  synchronized Set<Integer> ensured() {
    return Set.copyOf(ensured);
  }

  synchronized int migrations() {
    return migrations;
  }

  /** The next offset of every apply, committed or not, in call order. */
  synchronized List<Long> attempts() {
    return List.copyOf(attempts);
  }

  /** Transactions that committed. */
  synchronized int commits() {
    return commits;
  }

  /** Rows and tombstones written over every commit. */
  synchronized int rowsWritten() {
    return rowsWritten;
  }

  // ---- the contract

  @Override
  public synchronized void migrate() {
    migrations++;
  }

  @Override
  public synchronized Map<Integer, Long> appliedOffsets(Collection<Integer> partitions) {
    Map<Integer, Long> applied = new HashMap<>();
    for (int partition : partitions) {
      Offset row = offsets.get(partition);
      if (row != null && !row.fenced()) {
        applied.put(partition, row.next());
      }
    }
    return applied;
  }

  @Override
  public synchronized void ensurePartitions(Collection<Integer> partitions) {
    for (int partition : partitions) {
      if (partition < 0) {
        throw new IllegalArgumentException("partition " + partition + " is negative");
      }
    }
    ensured.addAll(partitions);
  }

  @Override
  public synchronized AppliedBatch apply(
      int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
      throws SQLException {
    attempts.add(nextOffset);
    AppliedBatch earlier = unacknowledged.remove(partition);
    SQLException failure = beforeCommit.poll();
    if (failure != null) {
      throw failure;
    }
    Offset row = offsets.get(partition);
    boolean advances =
        row == null
            || (Objects.equals(row.next(), expectedNextOffset)
                && nextOffset > row.next()
                && !row.fenced());
    if (!advances) {
      AppliedBatch refused = refusedOffset(partition, row, expectedNextOffset, nextOffset);
      return earlier != null && earlier.nextOffset() == nextOffset ? earlier : refused;
    }
    for (Event event : events) {
      String reason = refusal.apply(event);
      if (reason != null) {
        throw new SQLException(reason, CHECK_VIOLATION);
      }
    }
    ensured.add(partition);
    int written = 0;
    int upserts = 0;
    for (Event event : events) {
      if (event.op() == Op.UPSERT) {
        upserts++;
      }
      written += write(partition, event) ? 1 : 0;
    }
    offsets.put(partition, new Offset(nextOffset, false));
    commits++;
    rowsWritten += written;
    SQLException lost = afterCommit.poll();
    if (lost != null) {
      unacknowledged.put(
          partition,
          new AppliedBatch(partition, nextOffset, upserts, events.size() - upserts, written, true));
      throw lost;
    }
    return new AppliedBatch(
        partition, nextOffset, upserts, events.size() - upserts, written, false);
  }

  @Override
  public synchronized List<RefusedEvent> findRefused(int partition, List<Event> events) {
    List<RefusedEvent> refused = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      String reason = refusal.apply(events.get(i));
      if (reason != null) {
        refused.add(new RefusedEvent(i, CHECK_VIOLATION, reason));
      }
    }
    return refused;
  }

  /** The store's answer when the compare-and-set refuses, in the same order of checks. */
  private AppliedBatch refusedOffset(
      int partition, @Nullable Offset row, @Nullable Long expected, long nextOffset) {
    Long actual = row == null ? null : row.next();
    if (actual != null && actual == nextOffset) {
      return new AppliedBatch(partition, nextOffset, 0, 0, 0, true);
    }
    if (row != null && row.fenced()) {
      throw new PartitionFencedException(shard, partition, row.next());
    }
    if (actual != null && actual.equals(expected)) {
      throw new IllegalStateException(
          "shard [" + shard + "] partition [" + partition + "]: refusing to move back");
    }
    throw new OffsetFencedException(
        "shard ["
            + shard
            + "] partition ["
            + partition
            + "]: applied_offsets holds "
            + actual
            + " where this writer expected "
            + expected);
  }

  /** Applies one event by the version rule; true when a row or tombstone changed. */
  private boolean write(int partition, Event event) {
    Map<UUID, Event> stored = rows.computeIfAbsent(partition, p -> new HashMap<>());
    Map<UUID, Instant> deleted = tombstones.computeIfAbsent(partition, p -> new HashMap<>());
    Event row = stored.get(event.id());
    Instant tombstone = deleted.get(event.id());
    if (event.op() == Op.UPSERT) {
      if (tombstone != null && tombstone.isAfter(event.occurredAt())) {
        return false;
      }
      deleted.remove(event.id());
      if (row != null
          && (row.occurredAt().isAfter(event.occurredAt())
              || (row.occurredAt().equals(event.occurredAt()) && row.equals(event)))) {
        return false;
      }
      stored.put(event.id(), event);
      return true;
    }
    if (row != null && !row.occurredAt().isAfter(event.occurredAt())) {
      stored.remove(event.id());
      row = null;
    }
    if (row != null || (tombstone != null && !tombstone.isBefore(event.occurredAt()))) {
      return false;
    }
    deleted.put(event.id(), event.occurredAt());
    return true;
  }
}
