package dev.shardpipe.bench.drain;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.store.ShardSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The floor of the comparison: PostgreSQL's {@code COPY ... FROM STDIN (FORMAT csv)} of the same
 * rows into {@code tweets} with all its indexes, in one transaction, the way a bulk load would
 * write them. It keeps no version rule and no offsets; the CSV is made before the clock starts, as
 * {@code psql \copy} reads a file that is already there.
 */
final class CopyLoad {

  private static final String COLUMNS =
      "id, location, owner_id, text, like_count, occurred_at, partition";

  private CopyLoad() {}

  /**
   * Empties {@code tweets}, keeping its indexes, and commits.
   *
   * @param c a connection with auto-commit off
   */
  static void truncate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + ShardSchema.TWEETS.name());
    }
    c.commit();
  }

  /**
   * Loads every event with one {@code COPY} and commits, and returns how long that took.
   *
   * @param c a connection with auto-commit off
   * @param events the rows
   * @param partitions each event's partition, in the same order
   * @throws SQLException if PostgreSQL refuses the data
   */
  static Duration run(Connection c, List<TweetEvent> events, int[] partitions) throws SQLException {
    byte[] csv = csv(events, partitions);
    long started = System.nanoTime();
    try {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + ShardSchema.TWEETS.name() + " (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
              new ByteArrayInputStream(csv));
    } catch (IOException e) {
      throw new SQLException("cannot stream the rows to COPY", e);
    }
    c.commit();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static byte[] csv(List<TweetEvent> events, int[] partitions) {
    StringBuilder out = new StringBuilder(events.size() * 220);
    for (int i = 0; i < events.size(); i++) {
      TweetEvent e = events.get(i);
      out.append(e.id())
          .append(',')
          .append(quoted(e.data().location()))
          .append(',')
          .append(e.data().ownerId())
          .append(',')
          .append(quoted(e.data().text()))
          .append(',')
          .append(e.data().likeCount())
          .append(',')
          .append(e.occurredAt())
          .append(',')
          .append(partitions[i])
          .append('\n');
    }
    return out.toString().getBytes(UTF_8);
  }

  /** A CSV field: in double quotes, a double quote doubled (COPY's CSV rules). */
  private static String quoted(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
