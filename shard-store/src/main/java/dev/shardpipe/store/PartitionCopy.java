package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Copies one partition's rows, tombstones and applied offset from one shard to another: the first
 * step of moving a partition (docs/architecture.md, "The shard schema").
 *
 * <p>The source is read in one {@code REPEATABLE READ} read-only transaction, so its offset row and
 * its rows come from one snapshot: rows and offsets commit together there, so the rows are exactly
 * those the offset covers. Each child table streams out with {@code COPY ... TO STDOUT (FORMAT
 * binary)} and straight into the target's child with {@code COPY ... FROM STDIN (FORMAT binary)},
 * one message at a time, never the whole partition in memory. The target is written in one
 * transaction: its children of the partition are emptied, filled, and its offset row set to the
 * source's, unfenced; a failure leaves the target as it was. The source's writer keeps writing
 * meanwhile; the target's writer catches up from the copied offset.
 */
public final class PartitionCopy {

  /** How many rows pass between two progress reports. */
  public static final long PROGRESS_EVERY = 10_000;

  private static final String HAS_ROWS = "SELECT EXISTS (SELECT 1 FROM %s)";

  private static final String SET_OFFSET =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset, fenced_at)
      VALUES (?, ?, ?, NULL)
      ON CONFLICT (topic, partition) DO UPDATE
          SET next_offset = EXCLUDED.next_offset, fenced_at = NULL, updated_at = now()
      """;

  private static final String DELETE_OFFSET =
      "DELETE FROM applied_offsets WHERE topic = ? AND partition = ?";

  private PartitionCopy() {}

  /**
   * Copies the partition from {@code from} to {@code to}, replacing whatever {@code to} held of it.
   * Idempotent: running it again leaves the target as one run does (with the source's state at that
   * time). The target must not be applying the partition meanwhile. The data sources may hand out
   * connections in either auto-commit mode; each connection's settings are restored after.
   *
   * @param from the source shard, where the partition lives now
   * @param to the target shard, migrated to the same schema version
   * @param topic the events topic, the key of {@code applied_offsets}
   * @param partition the partition, {@code >= 0}
   * @param rowsCopiedSoFar told the number of rows copied so far, over all tables, about every
   *     {@value #PROGRESS_EVERY} rows, on the calling thread
   * @return the source's offset in the copy's snapshot (now the target's) and the rows copied
   * @throws SQLException if either database fails; the target is left as it was, except that the
   *     partition's (empty) child tables may have been created
   * @throws IllegalArgumentException if the partition is negative
   */
  public static CopyResult copy(
      DataSource from, DataSource to, String topic, int partition, LongConsumer rowsCopiedSoFar)
      throws SQLException {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
    try (Connection source = from.getConnection();
        Connection target = to.getConnection()) {
      Settings sourceSettings = Settings.of(source);
      Settings targetSettings = Settings.of(target);
      try {
        if (!source.getAutoCommit()) {
          source.rollback();
        }
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        source.setReadOnly(true);
        target.setAutoCommit(false);
        // Children first, committed on their own: creating one locks its parent for every
        // partition, which must not last as long as the copy.
        PartitionChildren.ensure(target, List.of(partition));
        CopyResult result = copy(source, target, topic, partition, rowsCopiedSoFar);
        target.commit();
        source.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(target, e);
        rollbackQuietly(source, e);
        throw e;
      } finally {
        sourceSettings.restore(source);
        targetSettings.restore(target);
      }
    }
  }

  private static CopyResult copy(
      Connection source, Connection target, String topic, int partition, LongConsumer progress)
      throws SQLException {
    // The first statement takes the source's snapshot: the offset and the rows below agree.
    AppliedOffsets.Row offset = AppliedOffsets.readRow(source, topic, partition);
    CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
    CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
    long rows = 0;
    for (ShardTable table : ShardSchema.all()) {
      String child = table.childName(partition);
      if (hasRows(target, child)) {
        // Only when a previous run left rows: TRUNCATE locks the child ACCESS EXCLUSIVE until
        // commit, and readers planning over the parent would wait that long.
        try (Statement s = target.createStatement()) {
          s.execute("TRUNCATE " + child);
        }
      }
      if (exists(source, child)) {
        rows = stream(out, in, table, partition, rows, progress);
      }
    }
    if (offset == null) {
      try (PreparedStatement s = target.prepareStatement(DELETE_OFFSET)) {
        s.setString(1, topic);
        s.setInt(2, partition);
        s.executeUpdate();
      }
    } else {
      try (PreparedStatement s = target.prepareStatement(SET_OFFSET)) {
        s.setString(1, topic);
        s.setInt(2, partition);
        s.setLong(3, offset.nextOffset());
        s.executeUpdate();
      }
    }
    progress.accept(rows);
    return new CopyResult(offset == null ? null : offset.nextOffset(), rows);
  }

  /**
   * Streams one child table. Each CopyData message of a COPY OUT holds one row (the binary header
   * rides on the first, the trailer comes alone), so counting messages gives progress; the exact
   * count comes from the target's command tag.
   */
  private static long stream(
      CopyManager out,
      CopyManager in,
      ShardTable table,
      int partition,
      long rowsBefore,
      LongConsumer progress)
      throws SQLException {
    CopyOut reading = out.copyOut(table.copyOutSql(partition));
    CopyIn writing = null;
    try {
      writing = in.copyIn(table.copyInSql(partition));
      long messages = 0;
      byte[] data;
      while ((data = reading.readFromCopy()) != null) {
        writing.writeToCopy(data, 0, data.length);
        if (++messages % PROGRESS_EVERY == 0) {
          progress.accept(rowsBefore + messages);
        }
      }
      long copied = writing.endCopy();
      writing = null;
      return rowsBefore + copied;
    } finally {
      if (reading.isActive()) {
        reading.cancelCopy();
      }
      if (writing != null && writing.isActive()) {
        writing.cancelCopy();
      }
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static boolean hasRows(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(String.format(HAS_ROWS, table))) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A connection's settings as the pool handed it out, put back before it is returned. */
  private record Settings(boolean autoCommit, int isolation, boolean readOnly) {

    static Settings of(Connection c) throws SQLException {
      return new Settings(c.getAutoCommit(), c.getTransactionIsolation(), c.isReadOnly());
    }

    void restore(Connection c) throws SQLException {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.setReadOnly(readOnly);
      c.setTransactionIsolation(isolation);
      c.setAutoCommit(autoCommit);
    }
  }
}
