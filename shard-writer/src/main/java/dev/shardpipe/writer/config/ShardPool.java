package dev.shardpipe.writer.config;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * The writer's connection pool to its shard's database. Deliberately not a {@link DataSource} bean:
 * Micronaut Data wraps every such bean in a proxy whose connections only exist inside its own
 * transactions, and the writer manages its transactions itself.
 */
public final class ShardPool implements AutoCloseable {

  private final HikariDataSource dataSource;

  ShardPool(HikariDataSource dataSource) {
    this.dataSource = dataSource;
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
   * Returns the JDBC URL without its query string, where a password may be.
   *
   * @return the URL, for health and logs
   */
  public String displayUrl() {
    return dataSource.getJdbcUrl().split("\\?", 2)[0];
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
