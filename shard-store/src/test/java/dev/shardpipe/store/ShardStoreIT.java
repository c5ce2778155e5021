package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class ShardStoreIT {

  private static final String TOPIC = "ingest.events";

  private String url;
  private AutoCommitOffDataSource dataSource;
  private ShardStore store;

  @BeforeEach
  void migrateAFreshShard(Infrastructure infra) {
    url = infra.createDatabase(Infrastructure.uniqueName("store"));
    // The store expects connections with auto-commit off, as the writer's pool hands them out.
    dataSource = new AutoCommitOffDataSource(url);
    store = new ShardStore(dataSource, "eu", TOPIC);
    store.migrate();
  }

  @Test
  void writesBothTablesWithAbsentOptionalFieldsAndChangesNothingOnRedelivery() throws Exception {
    UUID file = UUID.randomUUID();
    UUID deleted = UUID.randomUUID();
    Instant t = TestEvents.nextInstant();
    List<Event> batch =
        List.of(
            TweetEvent.upsert(UUID.randomUUID(), t, "europe", 1, "it's \"quoted\", {braced}\\", 3),
            FileEvent.upsert(file, t, 7, "a/b c.txt", null, null),
            FileEvent.upsert(deleted, t, 7, "gone.txt", 10L, "text/plain"),
            TweetEvent.upsert(UUID.randomUUID(), t, "usa", 2, "line\nbreak\ttab", 0));
    AppliedBatch first = store.apply(3, batch, null, 4);
    AppliedBatch tombstone =
        store.apply(3, List.of(FileEvent.delete(deleted, t.plusSeconds(1), 7)), 4L, 5);
    AppliedBatch again = store.apply(3, batch, 5L, 9);

    assertThat(first.rowsWritten()).isEqualTo(4);
    assertThat(tombstone.rowsWritten()).isEqualTo(1);
    assertThat(again.rowsWritten()).isZero();
    assertThat(Sql.rows(url, "SELECT text FROM tweets WHERE owner_id = 1"))
        .containsExactly(Map.of("text", "it's \"quoted\", {braced}\\"));
    assertThat(Sql.rows(url, "SELECT text FROM tweets WHERE owner_id = 2"))
        .containsExactly(Map.of("text", "line\nbreak\ttab"));
    Map<String, Object> fileRow = new HashMap<>();
    fileRow.put("file_name", "a/b c.txt");
    fileRow.put("size_bytes", null);
    fileRow.put("content_type", null);
    fileRow.put("partition", 3);
    assertThat(
            Sql.rows(
                url,
                "SELECT file_name, size_bytes, content_type, partition FROM file_metadata"
                    + " WHERE id = ?",
                file))
        .containsExactly(fileRow);
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata WHERE id = ?", deleted))
        .isZero();
    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM tweets WHERE occurred_at = ?",
                OffsetDateTime.ofInstant(t, ZoneOffset.UTC)))
        .isEqualTo(2);
    assertThat(store.appliedOffsets(List.of(3))).containsExactly(Map.entry(3, 9L));
  }

  @Test
  void findsExactlyTheEventsTheDatabaseRefusesAndCommitsNothingWhileLooking() throws Exception {
    execute("ALTER TABLE tweets ADD CONSTRAINT no_refused CHECK (text NOT LIKE 'refused%')");
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(
          TweetEvent.upsert(
              UUID.randomUUID(),
              TestEvents.nextInstant(),
              "europe",
              i,
              i == 3 || i == 64 || i == 99 ? "refused " + i : "fine " + i,
              0));
    }
    assertThatThrownBy(() -> store.apply(0, batch, null, 100))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(SqlErrors.isDataError(e)).isTrue());

    List<RefusedEvent> refused = store.findRefused(0, batch);

    assertThat(refused).extracting(RefusedEvent::index).containsExactly(3, 64, 99);
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.sqlState()).isEqualTo("23514");
              assertThat(r.reason())
                  .isEqualTo(
                      "database refused the event: new row for relation \"tweets_p0\" violates check"
                          + " constraint \"no_refused\" (SQLSTATE 23514)");
            });
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isZero();
    assertThat(store.appliedOffsets(List.of(0))).isEmpty();
  }

  @Test
  void refusesToMoveAnOffsetAnotherWriterMovedButRecognisesItsOwnLostCommit() throws Exception {
    List<Event> batch = List.of(TestEvents.tweet("europe", 1));
    store.apply(5, batch, null, 10);

    assertThat(store.apply(5, batch, null, 10).alreadyCommitted()).isTrue();
    assertThatThrownBy(() -> store.apply(5, List.of(TestEvents.tweet("europe", 1)), 7L, 20))
        .isInstanceOf(OffsetFencedException.class)
        .hasMessage(
            "shard [eu] partition [5]: applied_offsets holds 10 where this writer expected 7;"
                + " another writer of shard eu is applying this partition, and only one writer"
                + " per shard may run");
    assertThat(store.appliedOffsets(List.of(5))).containsExactly(Map.entry(5, 10L));
  }

  @Test
  void reportsWhatACommitWithALostAcknowledgementWroteOnceWhenItsBatchIsAppliedAgain()
      throws Exception {
    AtomicBoolean loseNextAcknowledgement = new AtomicBoolean();
    // The rows as a connection whose commit goes through and then reports a lost connection.
    ShardStore lossy =
        new ShardStore(commitThenFail(loseNextAcknowledgement), dataSource, "eu", TOPIC);
    lossy.ensurePartitions(List.of(2));
    List<Event> batch =
        List.of(
            TestEvents.tweet("europe", 1),
            TestEvents.file(7),
            FileEvent.delete(UUID.randomUUID(), TestEvents.nextInstant(), 7));
    loseNextAcknowledgement.set(true);

    assertThatThrownBy(() -> lossy.apply(2, batch, null, 5))
        .isInstanceOf(SQLException.class)
        .hasMessage("connection lost after commit");
    AppliedBatch retried = lossy.apply(2, batch, null, 5);
    AppliedBatch again = lossy.apply(2, batch, null, 5);

    assertThat(retried).isEqualTo(new AppliedBatch(2, 5, 2, 1, 3, true));
    assertThat(again).isEqualTo(new AppliedBatch(2, 5, 0, 0, 0, true));
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isEqualTo(1);
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata_tombstones")).isEqualTo(1);
  }

  @Test
  void neverMovesAnOffsetBack() throws Exception {
    store.apply(6, List.of(TestEvents.tweet("europe", 1)), null, 1_000);

    assertThatThrownBy(() -> store.apply(6, List.of(TestEvents.tweet("europe", 1)), 1_000L, 870))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "shard [eu] partition [6]: refusing to move applied_offsets back from 1000 to 870; the"
                + " batch was read from behind the applied offset");
    assertThat(store.appliedOffsets(List.of(6))).containsExactly(Map.entry(6, 1_000L));
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isEqualTo(1);
  }

  @Test
  void writesEachPartitionIntoItsOwnChildTables() throws Exception {
    store.apply(2, List.of(TestEvents.tweet("europe", 1), TestEvents.file(3)), null, 2);
    store.apply(9, List.of(TestEvents.tweet("usa", 4)), null, 1);

    assertThat(Sql.number(url, "SELECT count(*) FROM tweets_p2")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata_p2")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets_p9")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isEqualTo(2);
  }

  @Test
  void createsChildrenOnceHoweverManyCallersAskAtOnce() throws Exception {
    int callers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CyclicBarrier start = new CyclicBarrier(callers);
      List<Future<Void>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        // A store each: one store remembers what it ensured and would not ask again.
        ShardStore own = new ShardStore(dataSource, "eu", TOPIC);
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  own.ensurePartitions(List.of(1, 2, 3));
                  return null;
                }));
      }
      for (Future<Void> call : calls) {
        call.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    store.ensurePartitions(List.of(3));

    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE c.relkind = 'r'"))
        .isEqualTo(3 * ShardSchema.all().size());
  }

  @Test
  void aFencedPartitionRefusesCommitsButRecognisesTheLostAcknowledgementOfItsLastOne()
      throws Exception {
    List<Event> batch = List.of(TestEvents.tweet("europe", 1));
    store.apply(4, batch, null, 10);

    assertThat(store.fence(4)).isEqualTo(10);
    assertThat(store.fence(4)).isEqualTo(10);
    assertThat(store.apply(4, batch, null, 10).alreadyCommitted()).isTrue();
    assertThatThrownBy(() -> store.apply(4, List.of(TestEvents.tweet("europe", 1)), 10L, 20))
        .isInstanceOfSatisfying(
            PartitionFencedException.class,
            e -> {
              assertThat(e.partition()).isEqualTo(4);
              assertThat(e.fencedOffset()).isEqualTo(10);
              assertThat(e.shard()).isEqualTo("eu");
            })
        .hasMessage(
            "shard [eu] partition [4]: fenced at offset 10; the partition has moved or is being"
                + " moved to another shard, and this shard no longer applies it");
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isOne();
    assertThat(store.appliedOffsets(List.of(4))).isEmpty();
    try (Connection c = dataSource.getConnection()) {
      assertThat(AppliedOffsets.read(c, TOPIC, List.of(4))).isEmpty();
      c.rollback();
    }
  }

  @Test
  void fencingAPartitionNeverAppliedHereLeavesAFencedRowAtZero() throws Exception {
    assertThat(store.fence(8)).isZero();

    assertThatThrownBy(() -> store.apply(8, List.of(TestEvents.tweet("europe", 1)), null, 5))
        .isInstanceOf(PartitionFencedException.class);
    assertThat(store.appliedOffsets(List.of(8))).isEmpty();
    assertThat(Sql.number(url, "SELECT count(*) FROM applied_offsets WHERE fenced_at IS NOT NULL"))
        .isOne();
  }

  @Test
  void fenceWaitsForACommitInFlightAndReturnsTheOffsetItCommitted() throws Exception {
    store.apply(1, List.of(TestEvents.tweet("europe", 1)), null, 10);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection writer = dataSource.getConnection();
        Statement statement = writer.createStatement()) {
      // What apply's compare-and-set does first: it holds the row until the batch commits.
      statement.executeUpdate(
          "UPDATE applied_offsets SET next_offset = 25 WHERE partition = 1 AND fenced_at IS NULL");
      Future<Long> fence = pool.submit(() -> store.fence(1));
      Thread.sleep(300);
      assertThat(fence).isNotDone();

      writer.commit();

      assertThat(fence.get(10, TimeUnit.SECONDS)).isEqualTo(25);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void dropsAPartitionsChildrenAndKeepsItsFencedOffset() throws Exception {
    store.apply(3, List.of(TestEvents.tweet("europe", 1), TestEvents.file(2)), null, 2);
    store.apply(
        3, List.of(FileEvent.delete(UUID.randomUUID(), TestEvents.nextInstant(), 2)), 2L, 3);
    store.apply(4, List.of(TestEvents.tweet("europe", 1)), null, 1);
    store.fence(3);

    store.dropPartition(3);
    store.dropPartition(3);
    ShardStore restarted = new ShardStore(dataSource, "eu", TOPIC);
    assertThatThrownBy(() -> restarted.apply(3, List.of(TestEvents.tweet("europe", 1)), 3L, 4))
        .isInstanceOf(PartitionFencedException.class);

    assertThat(Sql.number(url, "SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_p3'"))
        .isZero();
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isOne();
    assertThat(Sql.number(url, "SELECT count(*) FROM file_metadata_tombstones")).isZero();
    assertThat(
            Sql.number(
                url,
                "SELECT next_offset FROM applied_offsets WHERE partition = 3 AND fenced_at"
                    + " IS NOT NULL"))
        .isEqualTo(3);
    try (Connection c = dataSource.getConnection()) {
      assertThat(c.getAutoCommit()).isFalse();
    }
  }

  /** The test's data source, but each commit goes through and then, when armed, fails once. */
  private DataSource commitThenFail(AtomicBoolean armed) {
    InvocationHandler connections =
        (self, method, args) -> {
          if (!method.getName().equals("getConnection")) {
            throw new UnsupportedOperationException(method.getName());
          }
          Connection real = dataSource.getConnection();
          return Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, call, callArgs) -> {
                Object result;
                try {
                  result = call.invoke(real, callArgs);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (call.getName().equals("commit") && armed.getAndSet(false)) {
                  throw new SQLException("connection lost after commit", "08006");
                }
                return result;
              });
        };
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {DataSource.class}, connections);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement statement = c.createStatement()) {
      statement.execute(sql);
      c.commit();
    }
  }
}
