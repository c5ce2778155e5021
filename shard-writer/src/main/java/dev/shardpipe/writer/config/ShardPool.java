package dev.shardpipe.writer.config;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * The writer's connection pools to its shard's database: one as the writer role for rows, and a
 * small one as the tables' owner for migrations and partition tables (docs/security.md).
 * Deliberately not a {@link DataSource} bean: Micronaut Data wraps every such bean in a proxy whose
 * connections only exist inside its own transactions, and the writer manages its transactions
 * itself.
 */
public final class ShardPool implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final HikariDataSource schemaDataSource;

  ShardPool(HikariDataSource dataSource, HikariDataSource schemaDataSource) {
    this.dataSource = dataSource;
    this.schemaDataSource = schemaDataSource;
  }

  /**
   * Returns the pool.
   *
   * @return the pool; connections come with auto-commit off
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Returns the owner's pool, which keeps no idle connection.
   *
   * @return the pool; connections come with auto-commit off
   */
  public DataSource schemaDataSource() {
    return schemaDataSource;
  }

  /**
   * Returns the JDBC URL without its query string, where a password may be.
   *
   * @return the URL, for health and logs
   */
  public String displayUrl() {
    return dataSource.getJdbcUrl().split("\\?", 2)[0];
  }

  @Override
  public void close() {
    try (schemaDataSource) {
      dataSource.close();
    }
  }
}
