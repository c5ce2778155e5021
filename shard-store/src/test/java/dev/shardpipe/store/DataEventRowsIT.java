package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.DataEvent;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Writes the same batches twice, once as typed events and once as {@link DataEvent}s of the same
 * kinds, into two fresh shards, and finds the same rows and tombstones in both: the statements
 * built from each {@link EventKind} write any event from its kind's values (docs/architecture.md,
 * "The writer's statements").
 */
@ExtendWith(InfrastructureExtension.class)
class DataEventRowsIT {

  private static final int PARTITION = 6;
  private static final UUID TWEET_DELETED = UUID.randomUUID();
  private static final UUID TWEET_KEPT = UUID.randomUUID();
  private static final UUID FILE_RENAMED = UUID.randomUUID();
  private static final UUID FILE_DELETED = UUID.randomUUID();
  private static final UUID FILE_NEVER_STORED = UUID.randomUUID();

  @Test
  void writesDataEventsOfEachKindExactlyAsTheTypedEventsOfTheSameContent(Infrastructure infra)
      throws Exception {
    Instant t = TestEvents.nextInstant();
    List<List<Event>> typed =
        List.of(
            List.of(
                TweetEvent.upsert(TWEET_DELETED, t, "europe", 42, "to be deleted", 5),
                TweetEvent.upsert(TWEET_KEPT, t, "europe", 43, "kept", 0),
                FileEvent.upsert(FILE_RENAMED, t, 7, "a.txt", 10L, "text/plain"),
                FileEvent.upsert(FILE_DELETED, t, 7, "b.bin", null, null)),
            List.of(
                TweetEvent.delete(TWEET_DELETED, t.plusSeconds(2), "europe", 42),
                FileEvent.delete(FILE_DELETED, t.plusSeconds(2), 7),
                FileEvent.delete(FILE_NEVER_STORED, t.plusSeconds(2), 8)),
            List.of(
                // Older than the deletes before them: the tombstones keep the rows away.
                TweetEvent.upsert(TWEET_DELETED, t.plusSeconds(1), "europe", 42, "older", 1),
                FileEvent.upsert(FILE_DELETED, t.plusSeconds(1), 7, "older.bin", 1L, null),
                // As old as the stored row and different: it replaces it.
                TweetEvent.upsert(TWEET_KEPT, t, "europe", 43, "kept, edited", 0),
                FileEvent.upsert(FILE_RENAMED, t.plusSeconds(3), 7, "c.txt", null, "text/csv")));
    // Every one a DataEvent: EventKind.event would build the typed records of these two kinds.
    List<List<Event>> data =
        List.of(
            List.of(
                data(EventKind.TWEET, Op.UPSERT, TWEET_DELETED, t, tweet(42, "to be deleted", 5L)),
                // No like_count: the tweet kind's default, 0, is written.
                data(EventKind.TWEET, Op.UPSERT, TWEET_KEPT, t, tweet(43, "kept", null)),
                data(
                    EventKind.FILE,
                    Op.UPSERT,
                    FILE_RENAMED,
                    t,
                    Map.of(
                        "user_id",
                        7L,
                        "file_name",
                        "a.txt",
                        "size_bytes",
                        10L,
                        "content_type",
                        "text/plain")),
                data(
                    EventKind.FILE,
                    Op.UPSERT,
                    FILE_DELETED,
                    t,
                    Map.of("user_id", 7L, "file_name", "b.bin"))),
            List.of(
                data(EventKind.TWEET, Op.DELETE, TWEET_DELETED, t.plusSeconds(2), tweet(42)),
                data(EventKind.FILE, Op.DELETE, FILE_DELETED, t.plusSeconds(2), file(7)),
                data(EventKind.FILE, Op.DELETE, FILE_NEVER_STORED, t.plusSeconds(2), file(8))),
            List.of(
                data(
                    EventKind.TWEET,
                    Op.UPSERT,
                    TWEET_DELETED,
                    t.plusSeconds(1),
                    tweet(42, "older", 1L)),
                data(
                    EventKind.FILE,
                    Op.UPSERT,
                    FILE_DELETED,
                    t.plusSeconds(1),
                    Map.of("user_id", 7L, "file_name", "older.bin", "size_bytes", 1L)),
                data(EventKind.TWEET, Op.UPSERT, TWEET_KEPT, t, tweet(43, "kept, edited", 0L)),
                data(
                    EventKind.FILE,
                    Op.UPSERT,
                    FILE_RENAMED,
                    t.plusSeconds(3),
                    Map.of("user_id", 7L, "file_name", "c.txt", "content_type", "text/csv"))));

    String typedShard = infra.createDatabase(Infrastructure.uniqueName("typed"));
    String dataShard = infra.createDatabase(Infrastructure.uniqueName("data"));
    List<Integer> typedWritten = applyAll(typedShard, typed);
    List<Integer> dataWritten = applyAll(dataShard, data);

    assertThat(dataWritten).isEqualTo(typedWritten).containsExactly(4, 3, 2);
    for (EventKind kind : EventKind.values()) {
      for (ShardTable table : List.of(ShardSchema.rows(kind), ShardSchema.tombstones(kind))) {
        assertThat(stored(dataShard, table)).isEqualTo(stored(typedShard, table));
      }
    }
    assertThat(
            Sql.rows(
                dataShard,
                "SELECT id, text, like_count FROM tweets WHERE partition = ?",
                PARTITION))
        .containsExactly(Map.of("id", TWEET_KEPT, "text", "kept, edited", "like_count", 0));
    assertThat(Sql.rows(dataShard, "SELECT id, file_name FROM file_metadata"))
        .containsExactly(Map.of("id", FILE_RENAMED, "file_name", "c.txt"));
    assertThat(Sql.rows(dataShard, "SELECT id FROM tweet_tombstones"))
        .containsExactly(Map.of("id", TWEET_DELETED));
    assertThat(Sql.rows(dataShard, "SELECT id FROM file_metadata_tombstones ORDER BY id"))
        .containsExactlyInAnyOrder(Map.of("id", FILE_DELETED), Map.of("id", FILE_NEVER_STORED));
  }

  /** Applies each batch in turn, as a writer would, and returns the rows each wrote. */
  private static List<Integer> applyAll(String url, List<List<Event>> batches) throws Exception {
    ShardStore store = new ShardStore(new AutoCommitOffDataSource(url), "eu", "ingest.events");
    store.migrate();
    List<Integer> written = new ArrayList<>();
    Long offset = null;
    for (List<Event> batch : batches) {
      long next = offset == null ? 1 : offset + 1;
      written.add(store.apply(PARTITION, batch, offset, next).rowsWritten());
      offset = next;
    }
    return written;
  }

  /** Every stored column but the time the database wrote the row, which differs between shards. */
  private static List<Map<String, Object>> stored(String url, ShardTable table) {
    String columns =
        String.join(
            ", ",
            table.columnNames().stream()
                .filter(c -> !c.equals("ingested_at") && !c.equals("deleted_at"))
                .toList());
    return Sql.rows(url, "SELECT " + columns + " FROM " + table.name() + " ORDER BY id");
  }

  private static DataEvent data(
      EventKind kind, Op op, UUID id, Instant occurredAt, Map<String, Object> values) {
    return new DataEvent(kind, op, id, occurredAt, values);
  }

  private static Map<String, Object> tweet(long ownerId, String text, @Nullable Long likeCount) {
    Map<String, Object> values = new HashMap<>(tweet(ownerId));
    values.put("text", text);
    if (likeCount != null) {
      values.put("like_count", likeCount);
    }
    return values;
  }

  private static Map<String, Object> tweet(long ownerId) {
    return Map.of("location", "europe", "owner_id", ownerId);
  }

  private static Map<String, Object> file(long userId) {
    return Map.of("user_id", userId);
  }
}
