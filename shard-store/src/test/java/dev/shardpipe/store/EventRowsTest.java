package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.DataEvent;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Records the statements the writer sends for each kind and op, text and bound values, without a
 * database: the text is the writer's hot path (docs/architecture.md, "The writer's statements"), so
 * each kind's generated statement is pinned here byte for byte, and a change to how it is built
 * shows as a change to this text.
 */
class EventRowsTest {

  private static final int PARTITION = 5;
  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  private static final Instant T1 = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final Instant T2 = Instant.parse("2026-01-02T03:04:06Z");

  private static final String UPSERT_TWEETS =
      """
      WITH input (id, location, owner_id, text, like_count, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(
              ?::text[]::uuid[], ?::text[], ?::bigint[], ?::text[], ?::integer[],
              ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM tweet_tombstones_p5 t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO tweets_p5 AS t
          (id, location, owner_id, text, like_count, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM tweet_tombstones_p5 d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET
          location = EXCLUDED.location, owner_id = EXCLUDED.owner_id, text = EXCLUDED.text,
          like_count = EXCLUDED.like_count, occurred_at = EXCLUDED.occurred_at,
          ingested_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
         OR (t.occurred_at = EXCLUDED.occurred_at
             AND (t.location, t.owner_id, t.text, t.like_count)
                 IS DISTINCT FROM (EXCLUDED.location, EXCLUDED.owner_id, EXCLUDED.text,
                                   EXCLUDED.like_count))
      """;

  private static final String UPSERT_FILES =
      """
      WITH input (id, user_id, file_name, size_bytes, content_type, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(
              ?::text[]::uuid[], ?::bigint[], ?::text[], ?::bigint[], ?::text[],
              ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM file_metadata_tombstones_p5 t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO file_metadata_p5 AS t
          (id, user_id, file_name, size_bytes, content_type, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM file_metadata_tombstones_p5 d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET
          user_id = EXCLUDED.user_id, file_name = EXCLUDED.file_name,
          size_bytes = EXCLUDED.size_bytes, content_type = EXCLUDED.content_type,
          occurred_at = EXCLUDED.occurred_at, ingested_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
         OR (t.occurred_at = EXCLUDED.occurred_at
             AND (t.user_id, t.file_name, t.size_bytes, t.content_type)
                 IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.file_name, EXCLUDED.size_bytes,
                                   EXCLUDED.content_type))
      """;

  private static final String DELETE_TWEETS =
      """
      WITH input (id, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) AS u
      ), deleted AS (
          DELETE FROM tweets_p5 r USING input i
          WHERE r.id = i.id AND r.occurred_at <= i.occurred_at
      )
      INSERT INTO tweet_tombstones_p5 AS t (id, occurred_at, partition)
      SELECT i.id, i.occurred_at, i.partition FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM tweets_p5 r
                        WHERE r.id = i.id AND r.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET occurred_at = EXCLUDED.occurred_at,
                                                deleted_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
      """;

  private static final String DELETE_FILES =
      """
      WITH input (id, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) AS u
      ), deleted AS (
          DELETE FROM file_metadata_p5 r USING input i
          WHERE r.id = i.id AND r.occurred_at <= i.occurred_at
      )
      INSERT INTO file_metadata_tombstones_p5 AS t (id, occurred_at, partition)
      SELECT i.id, i.occurred_at, i.partition FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM file_metadata_p5 r
                        WHERE r.id = i.id AND r.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET occurred_at = EXCLUDED.occurred_at,
                                                deleted_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
      """;

  @Test
  void upsertsTweetsWithOneStatementOverArrays() throws Exception {
    List<String> sent =
        write(
            TweetEvent.upsert(A, T1, "europe", 42, "hello", 3),
            TweetEvent.upsert(B, T2, "asia", 7, "hi", 0));

    assertThat(sent)
        .containsExactly(
            UPSERT_TWEETS
                + bound(
                    "1=int 5",
                    "2=String[] [" + A + ", " + B + "]",
                    "3=String[] [europe, asia]",
                    "4=Long[] [42, 7]",
                    "5=String[] [hello, hi]",
                    "6=Long[] [3, 0]",
                    "7=String[] [2026-01-02T03:04:05.123456Z, 2026-01-02T03:04:06Z]"));
  }

  @Test
  void upsertsFilesWithUnknownSizeAndTypeAsNulls() throws Exception {
    List<String> sent =
        write(
            FileEvent.upsert(A, T1, 42, "a.txt", 10L, "text/plain"),
            FileEvent.upsert(B, T2, 7, "b.bin", null, null));

    assertThat(sent)
        .containsExactly(
            UPSERT_FILES
                + bound(
                    "1=int 5",
                    "2=String[] [" + A + ", " + B + "]",
                    "3=Long[] [42, 7]",
                    "4=String[] [a.txt, b.bin]",
                    "5=Long[] [10, null]",
                    "6=String[] [text/plain, null]",
                    "7=String[] [2026-01-02T03:04:05.123456Z, 2026-01-02T03:04:06Z]"));
  }

  @Test
  void deletesEachKindFromItsOwnTablesWithTheSharedStatement() throws Exception {
    List<String> sent = write(TweetEvent.delete(A, T1, "europe", 42), FileEvent.delete(B, T2, 7));

    assertThat(sent)
        .containsExactly(
            DELETE_TWEETS
                + bound(
                    "1=int 5",
                    "2=String[] [" + A + "]",
                    "3=String[] [2026-01-02T03:04:05.123456Z]"),
            DELETE_FILES
                + bound("1=int 5", "2=String[] [" + B + "]", "3=String[] [2026-01-02T03:04:06Z]"));
  }

  @Test
  void sendsUpsertsBeforeDeletesAndNothingForAnEmptyList() throws Exception {
    List<String> sent =
        write(
            FileEvent.delete(B, T2, 7),
            TweetEvent.delete(A, T1, "europe", 42),
            FileEvent.upsert(A, T1, 42, "a.txt", null, null));

    assertThat(sent)
        .extracting(
            s -> s.substring(s.indexOf("INSERT INTO"), s.indexOf(" AS ", s.indexOf("INSERT"))))
        .containsExactly(
            "INSERT INTO file_metadata_p5",
            "INSERT INTO tweet_tombstones_p5",
            "INSERT INTO file_metadata_tombstones_p5");
    assertThat(write()).isEmpty();
  }

  @Test
  void sendsADataEventAsTheTypedEventOfTheSameContent() throws Exception {
    List<Event> typed =
        List.of(
            TweetEvent.upsert(A, T1, "europe", 42, "hello", 0),
            FileEvent.upsert(B, T2, 7, "b.bin", null, "text/plain"),
            TweetEvent.delete(B, T2, "asia", 7),
            FileEvent.delete(A, T1, 42));
    List<Event> data =
        List.of(
            new DataEvent(
                EventKind.TWEET,
                Op.UPSERT,
                A,
                T1,
                Map.of("location", "europe", "owner_id", 42L, "text", "hello")),
            new DataEvent(
                EventKind.FILE,
                Op.UPSERT,
                B,
                T2,
                Map.of("user_id", 7L, "file_name", "b.bin", "content_type", "text/plain")),
            new DataEvent(
                EventKind.TWEET, Op.DELETE, B, T2, Map.of("location", "asia", "owner_id", 7L)),
            new DataEvent(EventKind.FILE, Op.DELETE, A, T1, Map.of("user_id", 42L)));

    List<String> sent = write(data.toArray(Event[]::new));

    assertThat(sent).hasSize(4).isEqualTo(write(typed.toArray(Event[]::new)));
    assertThat(sent.get(0)).endsWith("6=Long[] [0]; 7=String[] [2026-01-02T03:04:05.123456Z]");
  }

  /** Runs {@link EventRows#write} on a connection that records each statement and its values. */
  private static List<String> write(Event... events) throws Exception {
    List<String> sent = new ArrayList<>();
    Connection connection =
        proxy(
            Connection.class,
            (method, args) -> {
              if (!method.equals("prepareStatement")) {
                throw new UnsupportedOperationException(method);
              }
              return statement((String) args[0], sent);
            });
    int changed = EventRows.write(connection, PARTITION, EventRows.Split.of(List.of(events)));
    assertThat(changed).isEqualTo(sent.size());
    return sent;
  }

  private static PreparedStatement statement(String sql, List<String> sent) {
    List<String> values = new ArrayList<>();
    return proxy(
        PreparedStatement.class,
        (method, args) ->
            switch (method) {
              case "setInt" -> values.add(args[0] + "=int " + args[1]);
              case "setObject" -> values.add(args[0] + "=" + describe(args[1]));
              case "executeUpdate" -> {
                sent.add(sql + bound(values.toArray(String[]::new)));
                yield 1;
              }
              case "close" -> null;
              default -> throw new UnsupportedOperationException(method);
            });
  }

  /** Names the array's type too: the driver picks the array's SQL type from it. */
  private static String describe(Object array) {
    return array.getClass().getComponentType().getSimpleName()
        + "[] "
        + Arrays.toString((Object[]) array);
  }

  private static String bound(String... values) {
    return "-- " + String.join("; ", values);
  }

  @FunctionalInterface
  private interface Call {
    Object answer(String method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            EventRowsTest.class.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> call.answer(method.getName(), args)));
  }
}
