package dev.shardpipe.store;

import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a shard's {@code applied_offsets}: where each partition's writer resumes, which is also how
 * far the shard has applied the partition. The one place this query lives; the writer, the readers
 * and the tools call it instead of writing their own.
 */
public final class AppliedOffsets {

  private static final String READ_UNFENCED =
      "SELECT partition, next_offset FROM "
          + ShardSchema.APPLIED_OFFSETS.name()
          + " WHERE topic = ? AND partition = ANY(?) AND fenced_at IS NULL";

  private static final String READ_ONE =
      "SELECT next_offset, fenced_at IS NOT NULL FROM "
          + ShardSchema.APPLIED_OFFSETS.name()
          + " WHERE topic = ? AND partition = ?";

  private AppliedOffsets() {}

  /**
   * Reads the applied offsets of the partitions this shard still owns. A fenced row (the partition
   * has moved, or is moving, to another shard) is left out: its offset no longer says what this
   * shard serves. Runs in the connection's current transaction and neither commits nor rolls back.
   *
   * @param connection a connection to the shard
   * @param topic the events topic
   * @param partitions the partitions to read
   * @return partition to the next offset to apply (the offset after the last applied record); a
   *     partition never applied, or fenced, is absent
   * @throws SQLException if the database fails
   */
  public static Map<Integer, Long> read(
      Connection connection, String topic, Collection<Integer> partitions) throws SQLException {
    Map<Integer, Long> offsets = new HashMap<>();
    if (partitions.isEmpty()) {
      return offsets;
    }
    try (PreparedStatement read = connection.prepareStatement(READ_UNFENCED)) {
      read.setString(1, topic);
      read.setArray(2, connection.createArrayOf("integer", partitions.toArray()));
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          offsets.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return offsets;
  }

  /** One partition's row whatever its fence, or null when it has none. */
  static @Nullable Row readRow(Connection connection, String topic, int partition)
      throws SQLException {
    try (PreparedStatement read = connection.prepareStatement(READ_ONE)) {
      read.setString(1, topic);
      read.setInt(2, partition);
      try (ResultSet rs = read.executeQuery()) {
        return rs.next() ? new Row(rs.getLong(1), rs.getBoolean(2)) : null;
      }
    }
  }

  /** A partition's row: its next offset, and whether it is fenced. */
  record Row(long nextOffset, boolean fenced) {}
}
