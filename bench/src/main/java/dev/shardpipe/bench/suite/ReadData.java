package dev.shardpipe.bench.suite;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The rows the read benchmark reads, loaded fast: {@code COPY} straight into each shard's {@code
 * tweets} and {@code file_metadata}, each row in the partition routing gives it and the shard
 * placement puts that partition on, then {@code VACUUM ANALYZE} so that the planner knows the
 * tables. {@code applied_offsets} is not touched: these rows never went through Kafka.
 *
 * <p>Tweets go round-robin over the owners {@code 1..keys} and the locations {@code europe}, {@code
 * usa} and {@code asia}, so every (owner, location) holds {@code tweets / (3 * keys)} rows or one
 * more: with 1 000 000 tweets and 5 000 owners 66 or 67, and every routed read of 50 finds a full
 * page (random owners would leave a few percent of the pairs short of 50). Users of files are drawn
 * from {@code 1..keys} at random. Times are spread over the 30 days before the load. The same seed
 * gives the same rows.
 */
final class ReadData {

  private static final String[] LOCATIONS = {"europe", "usa", "asia"};
  private static final int CHUNK = 50_000;
  private static final String INGESTED_AT = "ingested_at";

  private ReadData() {}

  /**
   * Loads the rows and analyses the tables.
   *
   * @param placement the catalog as it is now: the shards, their URLs and the placement
   * @param databaseUser the shards' database user
   * @return rows loaded per table
   */
  static Map<String, Long> load(
      CatalogSnapshot placement,
      String databaseUser,
      Routing routing,
      long tweets,
      long files,
      long keys,
      long seed)
      throws SQLException, IOException {
    EventGenerator rows =
        CopyRows.generator(seed, keys, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Map<String, Connection> shards = new LinkedHashMap<>();
    try {
      for (String shard : placement.shards()) {
        shards.put(
            shard,
            DriverManager.getConnection(
                placement.shard(shard).orElseThrow().url(), databaseUser, ""));
      }
      Map<String, StringBuilder> tweetRows = new LinkedHashMap<>();
      for (long i = 0; i < tweets; i++) {
        String location = LOCATIONS[(int) (i % LOCATIONS.length)];
        long owner = 1 + (i / LOCATIONS.length) % keys;
        int partition = routing.partitionForTweet(location, owner);
        CopyRows.tweet(
            tweetRows.computeIfAbsent(placement.shardOf(partition), s -> new StringBuilder()),
            rows.tweet(location, owner),
            partition);
        if ((i + 1) % CHUNK == 0 || i == tweets - 1) {
          copy(shards, tweetRows, copyIn(ShardSchema.TWEETS));
        }
      }
      Map<String, StringBuilder> fileRows = new LinkedHashMap<>();
      for (long i = 0; i < files; i++) {
        FileEvent file = rows.file();
        int partition = routing.partitionForFile(file.data().userId());
        CopyRows.file(
            fileRows.computeIfAbsent(placement.shardOf(partition), s -> new StringBuilder()),
            file,
            partition);
        if ((i + 1) % CHUNK == 0 || i == files - 1) {
          copy(shards, fileRows, copyIn(ShardSchema.FILE_METADATA));
        }
      }
      for (Connection c : shards.values()) {
        try (Statement s = c.createStatement()) {
          s.execute("VACUUM ANALYZE " + ShardSchema.TWEETS.name());
          s.execute("VACUUM ANALYZE " + ShardSchema.FILE_METADATA.name());
        }
      }
    } finally {
      for (Connection c : shards.values()) {
        c.close();
      }
    }
    return Map.of("tweets", tweets, "file_metadata", files);
  }

  /**
   * {@code COPY} of a table from {@code STDIN} in text format, every column of the table in its
   * order but {@value #INGESTED_AT}, which the database fills: the order the rows above are written
   * in.
   */
  static String copyIn(ShardTable table) {
    return "COPY "
        + table.name()
        + " ("
        + table.columnNames().stream()
            .filter(c -> !c.equals(INGESTED_AT))
            .collect(Collectors.joining(", "))
        + ") FROM STDIN";
  }

  private static void copy(
      Map<String, Connection> shards, Map<String, StringBuilder> rows, String sql)
      throws SQLException, IOException {
    for (Map.Entry<String, StringBuilder> shard : rows.entrySet()) {
      CopyManager copy = shards.get(shard.getKey()).unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(sql, new StringReader(shard.getValue().toString()));
      shard.getValue().setLength(0);
    }
  }
}
