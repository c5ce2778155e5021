package dev.shardpipe.shardctl;

import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** What shardctl counts in a shard's database. */
final class ShardReads {

  private ShardReads() {}

  /**
   * Counts a table's rows in the given partitions only: a shard may still hold the rows of a
   * partition that has moved away until they are cleaned, and those are not its rows.
   *
   * @param shard a pool to the shard, auto-commit off
   * @param table a partitioned table of {@link ShardSchema}
   * @param partitions the partitions to count
   * @return the rows; 0 for no partitions
   */
  static long rows(DataSource shard, ShardTable table, List<Integer> partitions)
      throws SQLException {
    if (partitions.isEmpty()) {
      return 0;
    }
    // The parent table with a filter on the partition key: PostgreSQL scans only those children.
    String sql = "SELECT count(*) FROM " + table.name() + " WHERE partition = ANY(?)";
    try (Connection c = shard.getConnection()) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setArray(1, c.createArrayOf("integer", partitions.toArray()));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } finally {
        c.rollback();
      }
    }
  }

  /** Counts the rows and tombstones of one partition, what copying it copies. */
  static long rowsToCopy(DataSource shard, int partition) throws SQLException {
    long rows = 0;
    for (ShardTable table : ShardSchema.all()) {
      rows += rows(shard, table, List.of(partition));
    }
    return rows;
  }
}
