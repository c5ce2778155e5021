package dev.shardpipe.bench.drain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads how many records the shards have committed, the sum of their {@code applied_offsets}, over
 * one open connection per shard, so that watching costs the writers next to nothing.
 */
final class CommitWatcher implements AutoCloseable {

  private static final String SUM =
      "SELECT coalesce(sum(next_offset), 0) FROM applied_offsets WHERE topic = ?";

  /** PostgreSQL's undefined_table: the writer has not migrated its shard yet. */
  private static final String UNDEFINED_TABLE = "42P01";

  private final List<Connection> shards = new ArrayList<>();
  private final String topic;

  CommitWatcher(Collection<String> urls, String topic) throws SQLException {
    this.topic = topic;
    try {
      for (String url : urls) {
        shards.add(DriverManager.getConnection(url));
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  long committed() throws SQLException {
    long total = 0;
    for (Connection shard : shards) {
      try (PreparedStatement sum = shard.prepareStatement(SUM)) {
        sum.setString(1, topic);
        try (ResultSet rs = sum.executeQuery()) {
          rs.next();
          total += rs.getLong(1);
        }
      } catch (SQLException e) {
        if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
          throw e;
        }
      }
    }
    return total;
  }

  @Override
  public void close() throws SQLException {
    for (Connection shard : shards) {
      shard.close();
    }
  }
}
