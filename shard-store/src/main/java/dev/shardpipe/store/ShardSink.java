package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import io.micronaut.core.annotation.Nullable;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where a shard's writer lands what it consumes: one transaction per partition batch that writes
 * the batch's rows and advances the partition's applied offset together, by compare-and-set on the
 * stored offset (docs/architecture.md, "The writer's transaction"). {@link ShardStore} is the
 * PostgreSQL one; the writer depends on this contract only, so that its loop can be tested against
 * a store in memory that keeps the same promises:
 *
 * <ul>
 *   <li>rows and offset commit together or not at all;
 *   <li>the offset advances only from the value the caller expects, only forward, and only while
 *       the partition is not fenced;
 *   <li>a batch whose commit succeeded but whose acknowledgement was lost is recognised when it is
 *       applied again ({@link AppliedBatch#alreadyCommitted()}), writes nothing twice, and reports
 *       the rows that commit wrote, so that the caller counts them once;
 *   <li>the data the store refuses fails with an {@link SQLException} that {@link
 *       SqlErrors#isDataError} recognises, and {@link #findRefused} names the events responsible.
 * </ul>
 *
 * <p>Each partition is written by one thread at a time; different partitions may be written at
 * once.
 */
public interface ShardSink {

  /**
   * Creates or upgrades the shard's tables.
   *
   * @throws RuntimeException if a migration fails or the database is not reachable; the cause chain
   *     says whether retrying can help ({@link SqlErrors#isRetriable})
   */
  void migrate();

  /**
   * Reads where each partition resumes.
   *
   * @param partitions the partitions to read
   * @return the next offset to apply per partition; a partition never applied is absent, and so is
   *     a fenced one: it has moved, or is moving, to another shard
   * @throws SQLException if the database fails
   */
  Map<Integer, Long> appliedOffsets(Collection<Integer> partitions) throws SQLException;

  /**
   * Makes the partitions writable here (their child tables exist afterwards). Idempotent.
   *
   * @param partitions logical partitions, each {@code >= 0}
   * @throws SQLException if the database fails
   * @throws IllegalArgumentException if a partition is negative
   */
  void ensurePartitions(Collection<Integer> partitions) throws SQLException;

  /**
   * Applies one partition's events and advances its offset in one transaction.
   *
   * @param partition the partition the events were consumed from
   * @param events at most one event per id, each routed to this partition
   * @param expectedNextOffset the value the stored offset must hold now, null when the partition
   *     has none yet
   * @param nextOffset the offset to resume from once these events are applied
   * @return what was done
   * @throws SQLException if the database fails; nothing was committed. {@link
   *     SqlErrors#isDataError} tells when the data itself was refused
   * @throws PartitionFencedException if the partition is fenced; nothing was written
   * @throws OffsetFencedException if another writer moved the partition's offset
   * @throws IllegalStateException if {@code nextOffset} is not above the applied offset
   */
  AppliedBatch apply(
      int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
      throws SQLException;

  /**
   * Finds the events the store refuses, without storing anything.
   *
   * @param partition the partition the events were consumed from
   * @param events the events {@link #apply} refused, at most one per id
   * @return the refused events in list order; empty when no single event is to blame
   * @throws SQLException if the database fails for another reason than the data
   */
  List<RefusedEvent> findRefused(int partition, List<Event> events) throws SQLException;
}
