package dev.shardpipe.store;

import java.util.Objects;

/**
 * One column of a shard table.
 *
 * @param name the column name, a plain lower-case identifier such as {@code owner_id}
 * @param sqlType the PostgreSQL type as the migrations declare it, such as {@code bigint} or {@code
 *     timestamptz}
 */
public record ShardColumn(String name, String sqlType) {

  /**
   * Checks the arguments.
   *
   * @throws IllegalArgumentException if the name is not a plain lower-case identifier
   * @throws NullPointerException if an argument is null
   */
  public ShardColumn {
    Objects.requireNonNull(sqlType, "sqlType");
    ShardTable.requireIdentifier(name);
  }
}
