package dev.shardpipe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SQL over every shard: the catalog's {@code tweets} reads each partition from the shard placement
 * names, before and after a placement switch, and counts every row once.
 */
@ExtendWith(InfrastructureExtension.class)
class SqlOverShardsIT {

  private static final RegionPins PINS =
      RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS);

  private CatalogClient client;
  private String catalogUrl;
  private final Map<String, String> shardUrls = new java.util.HashMap<>();

  @BeforeEach
  void threeShardsWithRows(Infrastructure infra) throws Exception {
    String prefix = Infrastructure.uniqueName("fdw");
    for (String shard : List.of("eu", "us", "c")) {
      String url = infra.createDatabase(prefix + "_" + shard);
      shardUrls.put(shard, url);
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url);
      ShardStore store = new ShardStore(autoCommitOff(ds), shard, "ingest.events");
      store.migrate();
      store.ensurePartitions(IntStream.range(0, 16).boxed().toList());
    }
    // Partition 3 (europe) holds 5 rows on eu and, as if copied already, the same 5 on c;
    // partition 12 (usa) holds 2 rows on us.
    for (String shard : List.of("eu", "c")) {
      for (int i = 0; i < 5; i++) {
        exec(
            shardUrls.get(shard),
            "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)"
                + " VALUES (?::uuid, 'europe', ?, 'hi', 0, now(), 3)",
            "00000000-0000-0000-0000-00000000000" + i,
            (long) i);
      }
    }
    for (int i = 0; i < 2; i++) {
      exec(
          shardUrls.get("us"),
          "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)"
              + " VALUES (gen_random_uuid(), 'usa', ?, 'hey', 0, now(), 12)",
          (long) i);
    }
    catalogUrl = infra.createDatabase(prefix + "_catalog").replaceAll("\\?.*$", "");
    String template =
        shardUrls.get("eu").replaceAll("\\?.*$", "").replace(prefix + "_eu", prefix + "_{shard}");
    client =
        CatalogClient.open(
            catalogUrl, "postgres", "", Map.of("shardpipe.database.url-template", template));
    assertThat(client.watcher().awaitLoaded(Duration.ofSeconds(30))).isTrue();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void countsEveryRowOnceBeforeAndAfterAPlacementSwitch() {
    assertThat(count("SELECT count(*) FROM tweets")).isEqualTo(7);
    assertThat(count("SELECT count(*) FROM tweets WHERE location = 'europe'")).isEqualTo(5);

    Catalog catalog = client.catalog();
    catalog.addShard("c", shardUrls.get("c").replaceAll("\\?.*$", ""), "europe", "test");
    Move move = catalog.startMove(3, "c", PINS, false, "test");
    catalog.copied(move.id(), 5L, 5);
    catalog.requestCutover(move.id());
    catalog.fenced(move.id(), 5);
    exec(shardUrls.get("eu"), "DELETE FROM tweets WHERE partition = 3 AND owner_id = 0");

    catalog.switchPlacement(move.id());

    assertThat(count("SELECT count(*) FROM tweets"))
        .as("partition 3 now read from c, which kept all 5 rows")
        .isEqualTo(7);
    assertThat(
            Sql.rows(
                    catalogUrl + "?user=postgres",
                    "SELECT location, count(*) AS n FROM tweets GROUP BY 1 ORDER BY 1")
                .stream()
                .map(r -> r.get("location") + "=" + r.get("n"))
                .toList())
        .containsExactly("europe=5", "usa=2");
  }

  @Test
  void refusesWritesThroughTheCatalog() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> exec(catalogUrl + "?user=postgres", "DELETE FROM tweets WHERE partition = 12"))
        .hasStackTraceContaining("does not allow deletes");
  }

  private static void exec(String url, String sql, Object... parameters) {
    try (Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private long count(String query) {
    return (Long) Sql.rows(catalogUrl + "?user=postgres", query).get(0).get("count");
  }

  private static javax.sql.DataSource autoCommitOff(PGSimpleDataSource ds) {
    return new javax.sql.DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        return c;
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
      }

      @Override
      public java.io.PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(java.io.PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public java.util.logging.Logger getParentLogger() {
        return java.util.logging.Logger.getGlobal();
      }

      @Override
      public <T> T unwrap(Class<T> iface) {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }
}
