package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The shard's database as the writer sees it: the tables of {@link ShardSchema}, and one
 * transaction per partition batch that writes its rows and advances {@code applied_offsets}
 * together, so that rows and offsets can never disagree whatever fails (docs/architecture.md, "The
 * writer's transaction"). The PostgreSQL {@link ShardSink}.
 *
 * <p>It composes the pieces that each do one job: the migrations ({@code SchemaMigration}), the
 * partitions' child tables ({@code PartitionTables}), the compare-and-set on {@code
 * applied_offsets} ({@code OffsetCompareAndSet}), the statements built from each event kind ({@code
 * EventRows}) and the search for refused events ({@code Bisection}). Rows are written set-based,
 * one statement per kind and operation, into the partition's child tables (docs/architecture.md,
 * "The writer's statements"). The version rule lives in the statements: an upsert replaces a row or
 * tombstone only when its {@code occurred_at} is not older, a delete likewise, so applying any
 * event twice changes nothing.
 *
 * <p>Moving a partition to another shard (docs/architecture.md, "The shard schema") uses {@link
 * #ensurePartitions}, {@link #fence}, {@link #dropPartition} and {@link PartitionCopy}.
 *
 * <p>Not thread-safe for one partition: each partition is written by one thread at a time.
 */
public final class ShardStore implements ShardSink {

  private final DataSource dataSource;
  private final DataSource schemaSource;
  private final @Nullable SchemaGrants grants;
  private final String shard;
  private final PartitionTables tables;
  private final OffsetCompareAndSet offsets;
  private final String topic;

  /**
   * Per partition, what its last transaction returns if its commit went through, from sending the
   * commit until {@link #apply} returns: when the acknowledgement is lost, the retry finds the
   * offset already moved and reports the rows that commit wrote, so that they are counted once.
   */
  private final Map<Integer, AppliedBatch> committing = new ConcurrentHashMap<>();

  /**
   * Creates the store.
   *
   * @param dataSource the shard's database, with auto-commit off
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(DataSource dataSource, String shard, String topic) {
    this(dataSource, dataSource, shard, topic);
  }

  /**
   * Creates a store that changes the schema as another role than it writes rows as: the writers
   * write as a role that may not create or drop tables (docs/security.md).
   *
   * @param dataSource the shard's database as the role that reads and writes rows, auto-commit off
   * @param schemaSource the same database as the tables' owner, for the migrations and for creating
   *     and dropping partition tables, auto-commit off
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(DataSource dataSource, DataSource schemaSource, String shard, String topic) {
    this(dataSource, schemaSource, null, shard, topic);
  }

  /**
   * What {@link #migrate} does as the owner after the migrations: grant the roles that read and
   * write the rows ({@link ShardRoles}).
   */
  @FunctionalInterface
  public interface SchemaGrants {

    /**
     * Grants, in the shard's database.
     *
     * @param owner a connection as the tables' owner, auto-commit off; committed afterwards
     * @throws SQLException if the server refuses
     */
    void grant(Connection owner) throws SQLException;
  }

  /**
   * Creates a store that also grants the roles after each migration.
   *
   * @param dataSource the shard's database as the role that reads and writes rows, auto-commit off
   * @param schemaSource the same database as the tables' owner, auto-commit off
   * @param grants run by {@link #migrate} as the owner, or null for none
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(
      DataSource dataSource,
      DataSource schemaSource,
      @Nullable SchemaGrants grants,
      String shard,
      String topic) {
    this.dataSource = dataSource;
    this.schemaSource = schemaSource;
    this.grants = grants;
    this.shard = shard;
    this.topic = topic;
    this.tables = new PartitionTables(dataSource, schemaSource, shard, topic);
    this.offsets = new OffsetCompareAndSet(shard, topic);
  }

  /**
   * Creates or upgrades the tables with the versioned migrations in {@code db/migration}.
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails or the database is not
   *     reachable
   * @throws IllegalStateException if granting the roles fails, with the {@link SQLException} as its
   *     cause
   */
  @Override
  public void migrate() {
    SchemaMigration.migrate(schemaSource, grants, shard);
  }

  /**
   * Reads where each partition resumes, with {@link AppliedOffsets#read}.
   *
   * @param partitions the partitions to read
   * @return the next offset to apply per partition; a partition never applied is absent, and so is
   *     a fenced one: it has moved, or is moving, to another shard
   * @throws SQLException if the database fails
   */
  @Override
  public Map<Integer, Long> appliedOffsets(Collection<Integer> partitions) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try {
        return AppliedOffsets.read(c, topic, partitions);
      } finally {
        c.rollback();
      }
    }
  }

  /**
   * Creates the child tables of the partitions that do not have them yet, for every partitioned
   * table ({@code CREATE TABLE IF NOT EXISTS <t>_p<N> PARTITION OF <t> FOR VALUES IN (<N>)}).
   * Idempotent, and safe to call from several processes at once: creators take a transaction-level
   * advisory lock. Each parent table gets its own short transaction, because creating a child locks
   * the parent {@code ACCESS EXCLUSIVE} (readers and writers of every partition wait) until commit.
   *
   * <p>Call it before writing a partition: an {@code INSERT} of a partition without children fails
   * with SQLSTATE 23514 ({@code no partition of relation "tweets" found for row}), which a writer
   * would take for bad data ({@link SqlErrors#isDataError}). {@link #apply} and {@link
   * #findRefused} call it themselves the first time this store sees a partition (unless it is
   * fenced), so calling it up front only chooses when the parent locks are taken.
   *
   * @param partitions logical partitions, each {@code >= 0}
   * @throws SQLException if the database fails; the children created before it stay
   * @throws IllegalArgumentException if a partition is negative
   */
  @Override
  public void ensurePartitions(Collection<Integer> partitions) throws SQLException {
    tables.ensure(partitions);
  }

  /**
   * Fences the partition off this shard, in a transaction of its own that commits: from then on
   * {@link #apply} refuses it with {@link PartitionFencedException}, and {@link #appliedOffsets}
   * leaves it out. Waits for a writer's in-flight commit of the partition (both need the offset
   * row's lock), so the returned offset covers every batch that ever commits here. Idempotent: a
   * fenced partition keeps its first fence time and returns the same offset.
   *
   * @param partition the partition that moves to another shard
   * @return the final offset f: every record of the partition before f was applied here, none
   *     after; 0 when the partition never had a row (one is inserted, fenced)
   * @throws SQLException if the database fails; nothing was fenced
   */
  public long fence(int partition) throws SQLException {
    return offsets.fence(dataSource, partition);
  }

  /**
   * Removes the partition's rows from this shard by detaching and dropping its child tables: for
   * every partitioned table, {@code ALTER TABLE <t> DETACH PARTITION <t>_p<N> CONCURRENTLY} (which
   * takes only a {@code SHARE UPDATE EXCLUSIVE} lock on the parent, so the other partitions keep
   * being read and written) then {@code DROP TABLE IF EXISTS <t>_p<N>}. Runs in auto-commit mode,
   * as a concurrent detach requires, and restores the connection's mode after. A detach waits at
   * most {@value PartitionTables#DROP_LOCK_TIMEOUT} for its locks and is tried up to {@value
   * PartitionTables#DROP_ATTEMPTS} times. Idempotent, and completes a detach an earlier call left
   * half-done. The partition's {@code applied_offsets} row stays: fenced, it records that this
   * shard no longer applies the partition. Fence the partition first ({@link #fence}): a writer
   * still applying it would recreate its children.
   *
   * @param partition the partition to remove, {@code >= 0}
   * @throws SQLException if the database fails, or the locks stayed unavailable on every attempt
   *     (SQLSTATE 55P03); what was dropped before stays dropped
   * @throws IllegalArgumentException if the partition is negative
   * @throws InterruptedException if interrupted between attempts
   */
  public void dropPartition(int partition) throws SQLException, InterruptedException {
    tables.drop(partition);
  }

  /**
   * Applies one partition's events and advances its offset in one transaction. The offset's
   * compare-and-set runs first: it takes the offset row's lock, which {@link #fence} waits for, so
   * a fence and this commit are ordered one way or the other.
   *
   * @param partition the partition the events were consumed from
   * @param events at most one event per id, each routed to this partition
   * @param expectedNextOffset the value {@code applied_offsets} must hold now, null when the
   *     partition has no row yet
   * @param nextOffset the offset to resume from once these events are applied
   * @return what was done; when an earlier attempt of this transaction committed and only its
   *     acknowledgement was lost, {@link AppliedBatch#alreadyCommitted()} with what that attempt
   *     wrote (nothing is written again)
   * @throws SQLException if the database fails; nothing was committed, unless the failure hid a
   *     commit's acknowledgement, which applying the same batch again recognises. {@link
   *     SqlErrors#isDataError} tells when the data itself was refused, and {@link #findRefused}
   *     then finds the events responsible
   * @throws PartitionFencedException if the partition is fenced: it moved, or is moving, to another
   *     shard; nothing was written
   * @throws OffsetFencedException if another writer moved the partition's offset
   * @throws IllegalStateException if {@code nextOffset} is not above the applied offset: the offset
   *     only moves forward
   */
  @Override
  public AppliedBatch apply(
      int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
      throws SQLException {
    tables.ensureOnce(partition);
    EventRows.Split split = EventRows.Split.of(events);
    AppliedBatch done;
    try (Connection c = dataSource.getConnection()) {
      try {
        if (!offsets.advance(c, partition, expectedNextOffset, nextOffset)) {
          c.rollback();
          AppliedBatch earlier = committing.remove(partition);
          AppliedBatch refused = offsets.refused(c, partition, expectedNextOffset, nextOffset);
          return refused.alreadyCommitted() && earlier != null && earlier.nextOffset() == nextOffset
              ? earlier
              : refused;
        }
        int written = EventRows.write(c, partition, split);
        done =
            new AppliedBatch(
                partition, nextOffset, split.upserts(), split.deletes(), written, false);
        committing.put(
            partition,
            new AppliedBatch(
                partition, nextOffset, split.upserts(), split.deletes(), written, true));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        Rollback.quietly(c, e);
        throw e;
      }
    }
    committing.remove(partition);
    return done;
  }

  /**
   * Finds the events the database refuses to store, by bisection in one transaction that is always
   * rolled back: the events are written under a savepoint, and a part that fails with a data error
   * ({@link SqlErrors#isDataError}) is rolled back to its savepoint and split in two, until single
   * events remain. Costs about {@code 2 * k * log2(n)} statements for {@code k} refused events
   * among {@code n}; the writer only calls it after {@link #apply} failed with a data error.
   *
   * @param partition the partition the events were consumed from
   * @param events the events {@link #apply} refused, at most one per id
   * @return the refused events in list order; empty when each part is accepted on its own, which
   *     means no single event is to blame
   * @throws SQLException if the database fails for another reason than the data; nothing is
   *     committed either way
   */
  @Override
  public List<RefusedEvent> findRefused(int partition, List<Event> events) throws SQLException {
    tables.ensureOnce(partition);
    List<RefusedEvent> refused = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try {
        Bisection.bisect(c, partition, events, 0, events.size(), refused);
      } finally {
        c.rollback();
      }
    }
    return refused;
  }
}
