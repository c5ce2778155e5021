package dev.shardpipe.query.shard;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one shard's connection.
 *
 * @param <T> the result
 */
@FunctionalInterface
interface ShardCall<T> {

  /**
   * Runs on a pooled, read-only, auto-commit connection that is closed afterwards.
   *
   * @param connection the shard's connection
   * @param shard the shard's name
   * @return the result, never null
   * @throws SQLException if the database fails; the shard then counts as missing
   */
  T call(Connection connection, String shard) throws SQLException;
}
