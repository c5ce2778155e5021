package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shard databases' roles: the reader only reads, a writer only writes rows of its shard. */
@ExtendWith(InfrastructureExtension.class)
class ShardRolesIT {

  private static final String INSERT_TWEET =
      "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)"
          + " VALUES (gen_random_uuid(), 'europe', 1, 'hi', 0, now(), %d)";

  private static Infrastructure infra;
  private static String prefix;

  @BeforeAll
  static void createShards(Infrastructure shared) throws Exception {
    infra = shared;
    prefix = Infrastructure.uniqueName("roles");
    try (Connection admin = DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"))) {
      ShardRoles.createReader(admin, ShardRoles.READER, "");
      for (String shard : List.of(shard("a"), shard("b"))) {
        ShardRoles.createWriter(admin, ShardRoles.writer(shard), "");
      }
    }
    for (String shard : List.of(shard("a"), shard("b"))) {
      String url = infra.createDatabase(shard);
      // Granted before the migration creates the tables, as the devstack does on a new shard: the
      // default privileges reach them.
      try (Connection owner = DriverManager.getConnection(url)) {
        ShardRoles.grant(owner, ShardRoles.READER, ShardRoles.writer(shard), "postgres");
      }
      ShardStore store = new ShardStore(new AutoCommitOffDataSource(url), shard, "ingest.events");
      store.migrate();
      store.ensurePartitions(List.of(0, 1));
    }
  }

  @Test
  void theReaderReadsButCannotInsertEvenInAReadWriteTransaction() throws Exception {
    try (Connection reader = login(shard("a"), ShardRoles.READER);
        Statement s = reader.createStatement()) {
      try (ResultSet rows = s.executeQuery("SELECT count(*) FROM tweets")) {
        assertThat(rows.next()).isTrue();
      }
      assertThatThrownBy(() -> s.executeUpdate(String.format(INSERT_TWEET, 0)))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"))
          .hasMessageContaining("read-only transaction");
      // The default can be switched off by the session; the missing privilege cannot.
      s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
      assertThatThrownBy(() -> s.executeUpdate(String.format(INSERT_TWEET, 0)))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("permission denied for table tweets");
    }
  }

  @Test
  void aWriterWritesRowsOfItsShardButChangesNoSchema() throws Exception {
    try (Connection writer = login(shard("a"), ShardRoles.writer(shard("a")));
        Statement s = writer.createStatement()) {
      assertThat(s.executeUpdate(String.format(INSERT_TWEET, 1))).isEqualTo(1);
      assertThat(s.executeUpdate("UPDATE applied_offsets SET updated_at = now()")).isZero();
      assertThatThrownBy(() -> s.execute("DROP TABLE tweets"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("must be owner of table tweets");
      assertThatThrownBy(() -> s.execute("CREATE TABLE extra (x int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied for schema public");
    }
  }

  @Test
  void aWriterCannotConnectToAnotherShardsDatabase() {
    assertThatThrownBy(() -> login(shard("b"), ShardRoles.writer(shard("a"))).close())
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("permission denied for database \"" + shard("b") + "\"");
  }

  @Test
  void reachesPartitionTablesTheOwnerCreatesLater() throws Exception {
    new ShardStore(
            new AutoCommitOffDataSource(infra.postgres().jdbcUrl(shard("a"))),
            shard("a"),
            "ingest.events")
        .ensurePartitions(List.of(9));
    try (Connection writer = login(shard("a"), ShardRoles.writer(shard("a")));
        Statement s = writer.createStatement()) {
      assertThat(s.executeUpdate(String.format(INSERT_TWEET, 9))).isEqualTo(1);
    }
    try (Connection reader = login(shard("a"), ShardRoles.READER);
        Statement s = reader.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM tweets_p9")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(1);
    }
  }

  /** A shard name per test run; the database is named the same. */
  private static String shard(String name) {
    return prefix + "_" + name;
  }

  private static Connection login(String database, String role) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + infra.postgres().host()
            + ":"
            + infra.postgres().port()
            + "/"
            + database
            + "?user="
            + role);
  }
}
