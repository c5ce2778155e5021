package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class ShardSchemaIT {

  private static final String ORDERED_TWEETS =
      "SELECT id, location, owner_id, text, like_count, occurred_at, partition, ingested_at"
          + " FROM %s ORDER BY id";

  @Test
  void partitioningKeepsEveryVersionOneRowInItsPartitionsChild(Infrastructure infra)
      throws Exception {
    String url = infra.createDatabase(Infrastructure.uniqueName("schema"));
    flyway(url).target("1").load().migrate();
    execute(
        url,
        """
        INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)
        SELECT gen_random_uuid(), 'europe', g, 'tweet ' || g, g % 7, now() - g * interval '1s',
               g % 3
        FROM generate_series(1, 30) g;
        INSERT INTO file_metadata
            (id, user_id, file_name, size_bytes, content_type, occurred_at, partition)
        VALUES (gen_random_uuid(), 1, 'a.txt', NULL, NULL, now(), 2),
               (gen_random_uuid(), 2, 'b.txt', 10, 'text/plain', now(), 7);
        INSERT INTO tweet_tombstones (id, occurred_at, partition)
        VALUES (gen_random_uuid(), now(), 1), (gen_random_uuid(), now(), 8);
        INSERT INTO file_metadata_tombstones (id, occurred_at, partition)
        VALUES (gen_random_uuid(), now(), 7);
        INSERT INTO applied_offsets (topic, partition, next_offset)
        VALUES ('ingest.events', 0, 10), ('ingest.events', 11, 4);
        """);
    List<Map<String, Object>> tweets = Sql.rows(url, String.format(ORDERED_TWEETS, "tweets"));
    List<Map<String, Object>> files = Sql.rows(url, "SELECT * FROM file_metadata ORDER BY id");
    List<Map<String, Object>> tombstones =
        Sql.rows(url, "SELECT * FROM tweet_tombstones ORDER BY id");
    List<Map<String, Object>> fileTombstones =
        Sql.rows(url, "SELECT * FROM file_metadata_tombstones ORDER BY id");

    flyway(url).load().migrate();

    assertThat(Sql.rows(url, String.format(ORDERED_TWEETS, "tweets"))).isEqualTo(tweets);
    assertThat(Sql.rows(url, "SELECT * FROM file_metadata ORDER BY id")).isEqualTo(files);
    assertThat(Sql.rows(url, "SELECT * FROM tweet_tombstones ORDER BY id")).isEqualTo(tombstones);
    assertThat(Sql.rows(url, "SELECT * FROM file_metadata_tombstones ORDER BY id"))
        .isEqualTo(fileTombstones);
    for (int partition : List.of(0, 1, 2)) {
      assertThat(Sql.number(url, "SELECT count(*) FROM " + ShardSchema.TWEETS.childName(partition)))
          .isEqualTo(10);
    }
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata_p7")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM tweet_tombstones_p8")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata_tombstones_p7")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM ONLY tweets")).isZero();
    List<String> expectedChildren = new ArrayList<>();
    for (ShardTable table : ShardSchema.all()) {
      for (int partition : List.of(0, 1, 2, 7, 8, 11)) {
        expectedChildren.add(table.childName(partition));
      }
    }
    assertThat(children(url)).containsExactlyInAnyOrderElementsOf(expectedChildren);
    assertThat(
            Sql.rows(
                url,
                "SELECT partition, next_offset, fenced_at FROM applied_offsets ORDER BY partition"))
        .extracting(
            row -> row.get("partition") + "@" + row.get("next_offset") + ":" + row.get("fenced_at"))
        .containsExactly("0@10:null", "11@4:null");
  }

  @Test
  void migratesAnEmptyDatabaseToTheTablesTheDescriptorsDescribe(Infrastructure infra) {
    String url = infra.createDatabase(Infrastructure.uniqueName("schema"));

    flyway(url).load().migrate();

    List<ShardTable> tables = new ArrayList<>(ShardSchema.all());
    tables.add(ShardSchema.APPLIED_OFFSETS);
    for (ShardTable table : tables) {
      assertThat(
              Sql.rows(
                  url,
                  "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type"
                      + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
                      + " AND NOT a.attisdropped ORDER BY a.attnum",
                  table.name()))
          .as(table.name())
          .extracting(row -> new ShardColumn((String) row.get("name"), sqlType(row.get("type"))))
          .containsExactlyElementsOf(table.columns());
      assertThat(
              Sql.number(
                  url,
                  "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = ?::regclass",
                  table.name()))
          .as(table.name())
          .isEqualTo(table.partitioned() ? 1 : 0);
    }
    assertThat(children(url)).isEmpty();
    for (ShardTable table : ShardSchema.all()) {
      assertThat(
              Sql.rows(
                  url,
                  "SELECT pg_get_constraintdef(oid) AS key FROM pg_constraint"
                      + " WHERE conrelid = ?::regclass AND contype = 'p'",
                  table.name()))
          .containsExactly(Map.of("key", "PRIMARY KEY (id, partition)"));
    }
  }

  @Test
  void childrenInheritTheParentsIndexesAndChecks(Infrastructure infra) throws Exception {
    String url = infra.createDatabase(Infrastructure.uniqueName("schema"));
    ShardStore store = new ShardStore(new AutoCommitOffDataSource(url), "eu", "ingest.events");
    store.migrate();

    store.ensurePartitions(List.of(4));

    assertThat(Sql.rows(url, "SELECT indexname FROM pg_indexes WHERE tablename = 'tweets_p4'"))
        .extracting(row -> row.get("indexname"))
        .containsExactlyInAnyOrder(
            "tweets_p4_pkey",
            "tweets_p4_owner_id_occurred_at_id_idx",
            "tweets_p4_location_occurred_at_id_idx",
            "tweets_p4_occurred_at_id_idx");
    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'tweets_p4'::regclass"
                    + " AND contype = 'c'"))
        .isEqualTo(2);
  }

  /** pg_attribute spells the types as SQL does; the descriptors use PostgreSQL's short names. */
  private static String sqlType(Object formatted) {
    return switch ((String) formatted) {
      case "timestamp with time zone" -> "timestamptz";
      default -> (String) formatted;
    };
  }

  private static List<String> children(String url) {
    return Sql.rows(
            url,
            "SELECT c.relname AS child FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE c.relkind = 'r'")
        .stream()
        .map(row -> (String) row.get("child"))
        .toList();
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
    return Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration");
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
