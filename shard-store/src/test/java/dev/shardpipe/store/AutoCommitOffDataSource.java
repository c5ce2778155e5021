package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/** A shard's data source as the writer's pool hands connections out: auto-commit off. */
final class AutoCommitOffDataSource extends PGSimpleDataSource {

  private static final long serialVersionUID = 1L;

  AutoCommitOffDataSource(String url) {
    setUrl(url);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = super.getConnection();
    c.setAutoCommit(false);
    return c;
  }
}
