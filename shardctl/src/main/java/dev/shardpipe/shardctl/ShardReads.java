package dev.shardpipe.shardctl;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** What shardctl reads from a shard's database: rows per partition and applied offsets. */
final class ShardReads {

  /** The tables whose rows status reports, by the name it reports them under. */
  static final List<String> COUNTED_TABLES = List.of("tweets", "file_metadata");

  private static final String APPLIED =
      "SELECT partition, next_offset FROM applied_offsets WHERE topic = ? AND partition = ANY(?)";

  private ShardReads() {}

  /**
   * Counts a table's rows per partition, for the given partitions only: a shard may still hold the
   * rows of a partition that has moved away until they are cleaned, and those are not its rows.
   */
  static Map<Integer, Long> rowsPerPartition(
      DataSource shard, String table, List<Integer> partitions) throws SQLException {
    Map<Integer, Long> rows = new HashMap<>();
    if (partitions.isEmpty()) {
      return rows;
    }
    // The table name is one of COUNTED_TABLES, never input.
    String sql =
        "SELECT partition, count(*) FROM " + table + " WHERE partition = ANY(?) GROUP BY partition";
    try (Connection c = shard.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      Array array = c.createArrayOf("integer", partitions.toArray());
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return rows;
  }

  /** Reads where the shard resumes each partition; a partition it never applied is absent. */
  static Map<Integer, Long> appliedOffsets(DataSource shard, String topic, List<Integer> partitions)
      throws SQLException {
    Map<Integer, Long> offsets = new HashMap<>();
    try (Connection c = shard.getConnection();
        PreparedStatement s = c.prepareStatement(APPLIED)) {
      s.setString(1, topic);
      s.setArray(2, c.createArrayOf("integer", partitions.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          offsets.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return offsets;
  }
}
