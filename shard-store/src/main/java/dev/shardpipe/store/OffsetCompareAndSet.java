package dev.shardpipe.store;

import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.DataSource;

/**
 * The compare-and-set on a partition's {@code applied_offsets} row that makes a batch's commit
 * safe: it advances the offset only from the value the writer expects, only forward, and only while
 * the partition is not fenced; and the fence that hands a partition to another shard
 * (docs/architecture.md, "The shard schema"). When the offset does not advance, {@link #refused}
 * tells a lost acknowledgement from a fence, a rewind and another writer.
 */
final class OffsetCompareAndSet {

  /**
   * Advances the offset only from the value this writer expects (compare-and-set), so that two
   * writers of one shard cannot both apply a partition unnoticed, only forward, so that a batch
   * read from behind the applied offset can never move it back, and only while the partition is not
   * fenced, so that a shard the partition moved away from cannot commit it any more.
   */
  private static final String ADVANCE_OFFSET =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset) VALUES (?, ?, ?)
      ON CONFLICT (topic, partition) DO UPDATE
          SET next_offset = EXCLUDED.next_offset, updated_at = now()
      WHERE a.next_offset IS NOT DISTINCT FROM ?::bigint
        AND EXCLUDED.next_offset > a.next_offset
        AND a.fenced_at IS NULL
      """;

  /**
   * Fences a partition: a missing row is inserted fenced at 0, a fenced row keeps its first fence
   * time. Waits for the row lock a writer's in-flight commit of the partition holds, so the offset
   * returned covers every batch that will ever commit here.
   */
  private static final String FENCE =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset, fenced_at)
      VALUES (?, ?, 0, now())
      ON CONFLICT (topic, partition) DO UPDATE SET fenced_at = coalesce(a.fenced_at, now())
      RETURNING a.next_offset
      """;

  private final String shard;
  private final String topic;

  OffsetCompareAndSet(String shard, String topic) {
    this.shard = shard;
    this.topic = topic;
  }

  /**
   * Advances the offset in the connection's transaction, taking the offset row's lock, which {@link
   * #fence} waits for.
   *
   * @return true when the offset advanced; false when the compare-and-set refused
   */
  boolean advance(Connection c, int partition, @Nullable Long expected, long nextOffset)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ADVANCE_OFFSET)) {
      s.setString(1, topic);
      s.setInt(2, partition);
      s.setLong(3, nextOffset);
      if (expected == null) {
        s.setNull(4, Types.BIGINT);
      } else {
        s.setLong(4, expected);
      }
      return s.executeUpdate() == 1;
    }
  }

  /**
   * The offset did not advance: reads the row, rolls the transaction back, and tells why. Either an
   * earlier attempt of this very transaction committed and only its acknowledgement was lost (the
   * row already holds our target, fenced or not), or the partition is fenced, or the batch would
   * have moved the offset back (a bug in the caller), or another writer moved it.
   *
   * @return the batch as committed by the earlier attempt, when that is what happened
   * @throws PartitionFencedException if the partition is fenced
   * @throws IllegalStateException if the batch would move the offset back
   * @throws OffsetFencedException if another writer moved the offset
   */
  AppliedBatch refused(Connection c, int partition, @Nullable Long expected, long nextOffset)
      throws SQLException {
    AppliedOffsets.Row row;
    try {
      row = AppliedOffsets.readRow(c, topic, partition);
    } finally {
      c.rollback();
    }
    Long actual = row == null ? null : row.nextOffset();
    if (actual != null && actual == nextOffset) {
      return new AppliedBatch(partition, nextOffset, 0, 0, 0, true);
    }
    if (row != null && row.fenced()) {
      throw new PartitionFencedException(shard, partition, row.nextOffset());
    }
    if (actual != null && actual.equals(expected)) {
      throw new IllegalStateException(
          "shard ["
              + shard
              + "] partition ["
              + partition
              + "]: refusing to move applied_offsets back from "
              + actual
              + " to "
              + nextOffset
              + "; the batch was read from behind the applied offset");
    }
    throw new OffsetFencedException(
        "shard ["
            + shard
            + "] partition ["
            + partition
            + "]: applied_offsets holds "
            + actual
            + " where this writer expected "
            + expected
            + "; another writer of shard "
            + shard
            + " is applying this partition, and only one writer per shard may run");
  }

  /**
   * Fences the partition in a transaction of its own that commits, and returns its final offset;
   * see {@link ShardStore#fence}.
   */
  long fence(DataSource dataSource, int partition) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(FENCE)) {
        s.setString(1, topic);
        s.setInt(2, partition);
        long fencedAt;
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          fencedAt = rs.getLong(1);
        }
        c.commit();
        return fencedAt;
      } catch (SQLException | RuntimeException e) {
        Rollback.quietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }
}
