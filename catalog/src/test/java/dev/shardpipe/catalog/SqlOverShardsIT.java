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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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

  private static final String NEWEST = " ORDER BY occurred_at DESC, id DESC LIMIT 50";

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
    // Partition 3 (europe) holds 60 rows on eu and, as if copied already, the same 60 on c;
    // partition 12 (usa) holds 30 rows on us. The timestamps interleave, so the newest 50 come
    // from both partitions.
    for (String shard : List.of("eu", "c")) {
      exec(shardUrls.get(shard), insertRows(3, "europe", 60, 0));
    }
    exec(shardUrls.get("us"), insertRows(12, "usa", 30, 1));
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
  void answersAsEveryShardSummedOrMergedBeforeDuringAndAfterAMove() {
    assertAnswersAsTheShards("before the move");
    assertThat(count("SELECT count(*) FROM tweets")).isEqualTo(90);

    Catalog catalog = client.catalog();
    catalog.addShard("c", shardUrls.get("c").replaceAll("\\?.*$", ""), "europe", "test");
    Move move = catalog.startMove(3, "c", PINS, false, "test");
    catalog.copied(move.id(), 60L, 60);
    catalog.requestCutover(move.id());
    catalog.fenced(move.id(), 60);
    assertAnswersAsTheShards("during the move, with the copy on c not yet placed");
    assertThat(count("SELECT count(*) FROM tweets")).isEqualTo(90);
    // A row the source loses after the copy tells which shard partition 3 is read from.
    exec(shardUrls.get("eu"), "DELETE FROM tweets WHERE partition = 3 AND owner_id = 0");
    assertThat(count("SELECT count(*) FROM tweets")).isEqualTo(89);

    catalog.switchPlacement(move.id());

    assertAnswersAsTheShards("after the move");
    assertThat(count("SELECT count(*) FROM tweets"))
        .as("partition 3 now read from c, which kept all 60 rows")
        .isEqualTo(90);
  }

  /**
   * Checks the three queries users run most over the catalog's {@code tweets} against the same
   * computed from the shards directly: each shard asked only for the partitions placed on it now,
   * counts summed, groups added up, newest rows merged.
   */
  private void assertAnswersAsTheShards(String when) {
    CatalogSnapshot placement = client.catalog().load();
    long total = 0;
    Map<String, Long> byLocation = new TreeMap<>();
    List<Map<String, Object>> newest = new ArrayList<>();
    for (String shard : placement.shards()) {
      String url = shardUrls.get(shard);
      String where = " WHERE partition = ANY(?::int[])";
      String list =
          placement.partitionsOf(shard).stream()
              .map(String::valueOf)
              .collect(Collectors.joining(",", "{", "}"));
      total += Sql.number(url, "SELECT count(*) FROM tweets" + where, list);
      for (Map<String, Object> row :
          Sql.rows(
              url, "SELECT location, count(*) AS n FROM tweets" + where + " GROUP BY 1", list)) {
        byLocation.merge((String) row.get("location"), (Long) row.get("n"), Long::sum);
      }
      newest.addAll(
          Sql.rows(
              url,
              "SELECT id::text AS id, occurred_at::text AS at FROM tweets" + where + NEWEST,
              list));
    }
    // Text compares as the timestamps (one time zone, fixed width) and the uuids (bytewise) do.
    newest.sort(
        Comparator.comparing((Map<String, Object> r) -> (String) r.get("at"))
            .thenComparing(r -> (String) r.get("id"))
            .reversed());
    List<Object> merged = newest.stream().limit(50).map(r -> r.get("id")).toList();

    String catalogDb = catalogUrl + "?user=postgres";
    assertThat(count("SELECT count(*) FROM tweets")).as(when).isEqualTo(total);
    Map<String, Long> catalogGroups = new TreeMap<>();
    for (Map<String, Object> row :
        Sql.rows(catalogDb, "SELECT location, count(*) AS n FROM tweets GROUP BY 1")) {
      catalogGroups.put((String) row.get("location"), (Long) row.get("n"));
    }
    assertThat(catalogGroups).as(when).isEqualTo(byLocation);
    assertThat(
            Sql.rows(
                    catalogDb,
                    "SELECT id::text AS id, occurred_at::text AS at FROM tweets" + NEWEST)
                .stream()
                .map(r -> r.get("id"))
                .toList())
        .as(when)
        .hasSize(50)
        .isEqualTo(merged);
  }

  private static String insertRows(int partition, String location, int rows, int offset) {
    return "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)"
        + " SELECT md5('"
        + partition
        + "-' || g)::uuid, '"
        + location
        + "', g - 1, 'hi', 0, timestamptz '2026-01-01 00:00:00+00' + (2 * g + "
        + offset
        + ") * interval '1 second', "
        + partition
        + " FROM generate_series(1, "
        + rows
        + ") AS g";
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
