package dev.shardpipe.store;

import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a shard's tables to the newest version of the migrations in {@code db/migration}, as the
 * tables' owner, then grants the roles that read and write the rows.
 */
final class SchemaMigration {

  private SchemaMigration() {}

  /** Migrates, then grants; see {@link ShardStore#migrate}. */
  static void migrate(
      DataSource schemaSource, @Nullable ShardStore.SchemaGrants grants, String shard) {
    Flyway.configure()
        .dataSource(schemaSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    if (grants == null) {
      return;
    }
    try (Connection c = schemaSource.getConnection()) {
      grants.grant(c);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      // Unchecked, as Flyway's own failures are; the cause says whether retrying can help.
      throw new IllegalStateException(
          "shard [" + shard + "]: granting the database roles failed: " + e.getMessage(), e);
    }
  }
}
