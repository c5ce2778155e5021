package dev.shardpipe.bench.drain;

import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.store.ShardSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The baseline: what a plain JDBC program reaches upserting the same rows into a table of the same
 * schema and indexes, one connection, {@code reWriteBatchedInserts=true} (the driver folds a batch
 * into multi-row {@code INSERT}s), a commit per batch, {@code ON CONFLICT DO UPDATE}. It applies no
 * version rule and keeps no offsets, so it is an upper bound of what one connection does, not a
 * writer.
 */
final class JdbcBatchUpsert {

  /**
   * The columns the baseline binds, in table order: every column of tweets but ingested_at, which
   * is {@code now()}; {@link #run} binds them in this order.
   */
  private static final List<String> COLUMNS =
      ShardSchema.TWEETS.columnNames().stream().filter(c -> !c.equals("ingested_at")).toList();

  private static final String UPSERT =
      "INSERT INTO "
          + ShardSchema.TWEETS.name()
          + " ("
          + String.join(", ", COLUMNS)
          + ", ingested_at) VALUES ("
          + "?, ".repeat(COLUMNS.size())
          + "now()) ON CONFLICT (id, partition) DO UPDATE SET "
          + COLUMNS.stream()
              .filter(c -> !c.equals("id") && !c.equals("partition"))
              .map(c -> c + " = EXCLUDED." + c)
              .collect(Collectors.joining(", "))
          + ", ingested_at = now()";

  private JdbcBatchUpsert() {}

  /**
   * Opens the one connection the baseline uses; the caller closes it after measuring.
   *
   * @param jdbcUrl the baseline database, migrated like a shard
   */
  static Connection connect(String jdbcUrl) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl + "&reWriteBatchedInserts=true");
    c.setAutoCommit(false);
    return c;
  }

  /**
   * Empties {@code tweets} and drops every index of it but the primary key, committed: what is left
   * is the cost of the heap and the one index an upsert needs, the floor under any writer that
   * keeps the read indexes docs/contract.md §5 asks for.
   *
   * @param c a connection from {@link #connect}
   */
  static void dropAllButPrimaryKey(Connection c) throws SQLException {
    List<String> indexes = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT indexrelid::regclass::text FROM pg_index"
                    + " WHERE indrelid = '"
                    + ShardSchema.TWEETS.name()
                    + "'::regclass AND NOT indisprimary")) {
      while (r.next()) {
        indexes.add(r.getString(1));
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + ShardSchema.TWEETS.name());
      for (String index : indexes) {
        s.execute("DROP INDEX " + index);
      }
    }
    c.commit();
  }

  /**
   * Upserts every event and returns how long it took.
   *
   * @param c a connection from {@link #connect}
   * @param events the rows
   * @param partitions each event's partition, in the same order
   * @param batchSize rows per batch
   */
  static Duration run(Connection c, List<TweetEvent> events, int[] partitions, int batchSize)
      throws SQLException {
    long started = System.nanoTime();
    try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
      for (int i = 0; i < events.size(); i++) {
        TweetEvent event = events.get(i);
        upsert.setObject(1, event.id());
        upsert.setString(2, event.data().location());
        upsert.setLong(3, event.data().ownerId());
        upsert.setString(4, event.data().text());
        upsert.setInt(5, event.data().likeCount());
        upsert.setObject(6, OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC));
        upsert.setInt(7, partitions[i]);
        upsert.addBatch();
        if ((i + 1) % batchSize == 0 || i == events.size() - 1) {
          upsert.executeBatch();
          c.commit();
        }
      }
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
