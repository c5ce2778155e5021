package dev.shardpipe.bench.drain;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.store.AppliedOffsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads how many records the shards have committed, the sum of the partitions' applied offsets
 * (shard-store's one query), over one open connection per shard, so that watching costs the writers
 * next to nothing.
 */
final class CommitWatcher implements AutoCloseable {

  /** PostgreSQL's undefined_table: the writer has not migrated its shard yet. */
  private static final String UNDEFINED_TABLE = "42P01";

  /** PostgreSQL's undefined_column: the writer is migrating its shard right now. */
  private static final String UNDEFINED_COLUMN = "42703";

  private final Map<Connection, List<Integer>> shards = new LinkedHashMap<>();
  private final String topic;

  /**
   * Connects to every shard of the catalog.
   *
   * @param placement the catalog: the shards, their URLs and their partitions
   * @param user the shards' database user
   * @param topic the events topic
   */
  CommitWatcher(CatalogSnapshot placement, String user, String topic) throws SQLException {
    this.topic = topic;
    try {
      for (String shard : placement.shards()) {
        shards.put(
            DriverManager.getConnection(placement.shard(shard).orElseThrow().url(), user, ""),
            placement.partitionsOf(shard));
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  long committed() throws SQLException {
    long total = 0;
    for (Map.Entry<Connection, List<Integer>> shard : shards.entrySet()) {
      try {
        for (long next : AppliedOffsets.read(shard.getKey(), topic, shard.getValue()).values()) {
          total += next;
        }
      } catch (SQLException e) {
        if (!UNDEFINED_TABLE.equals(e.getSQLState()) && !UNDEFINED_COLUMN.equals(e.getSQLState())) {
          throw e;
        }
      }
    }
    return total;
  }

  @Override
  public void close() throws SQLException {
    for (Connection shard : shards.keySet()) {
      shard.close();
    }
  }
}
