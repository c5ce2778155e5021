package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class PartitionCopyIT {

  private static final String TOPIC = "ingest.events";

  private String urlA;
  private String urlB;
  private AutoCommitOffDataSource a;
  private AutoCommitOffDataSource b;
  private ShardStore storeA;
  private ShardStore storeB;

  @BeforeEach
  void twoFreshShards(Infrastructure infra) {
    urlA = infra.createDatabase(Infrastructure.uniqueName("copy_a"));
    urlB = infra.createDatabase(Infrastructure.uniqueName("copy_b"));
    a = new AutoCommitOffDataSource(urlA);
    b = new AutoCommitOffDataSource(urlB);
    storeA = new ShardStore(a, "a", TOPIC);
    storeB = new ShardStore(b, "b", TOPIC);
    storeA.migrate();
    storeB.migrate();
  }

  @Test
  void copiesEveryRowTombstoneAndTheOffsetOfOnePartitionAndAgainTheSame() throws Exception {
    Instant t = TestEvents.nextInstant();
    UUID deletedTweet = UUID.randomUUID();
    UUID deletedFile = UUID.randomUUID();
    List<Event> first = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      first.add(TestEvents.tweet("europe", i));
    }
    first.add(TweetEvent.upsert(deletedTweet, t, "europe", 99, "soon gone", 1));
    first.add(FileEvent.upsert(UUID.randomUUID(), t, 7, "a b.txt", null, null));
    first.add(FileEvent.upsert(deletedFile, t, 7, "gone.txt", 10L, "text/plain"));
    storeA.apply(6, first, null, 23);
    storeA.apply(
        6,
        List.of(
            TweetEvent.delete(deletedTweet, t.plusSeconds(1), "europe", 99),
            FileEvent.delete(deletedFile, t.plusSeconds(1), 7)),
        23L,
        25);
    storeA.apply(7, List.of(TestEvents.tweet("europe", 1)), null, 1);
    List<Long> progress = new ArrayList<>();

    CopyResult result = PartitionCopy.copy(a, b, TOPIC, 6, progress::add);

    assertThat(result).isEqualTo(new CopyResult(25L, 20 + 1 + 2));
    assertSamePartition(6);
    assertThat(storeB.appliedOffsets(List.of(6, 7))).containsExactly(Map.entry(6, 25L));
    assertThat(Sql.number(urlB, "SELECT count(*) FROM tweets")).isEqualTo(20);
    assertThat(progress).last().isEqualTo(23L);

    storeA.apply(6, List.of(TestEvents.tweet("europe", 1)), 25L, 26);
    CopyResult again = PartitionCopy.copy(a, b, TOPIC, 6, progress::add);

    assertThat(again).isEqualTo(new CopyResult(26L, 24));
    assertSamePartition(6);
    assertThat(storeB.appliedOffsets(List.of(6))).containsExactly(Map.entry(6, 26L));
    // B's writer resumes from the copied offset like any restart.
    assertThat(storeB.apply(6, List.of(TestEvents.tweet("europe", 2)), 26L, 27).rowsWritten())
        .isOne();
  }

  @Test
  void copiesAFencedSourceOffsetUnfencedAndClearsATargetRowTheSourceDoesNotHave() throws Exception {
    storeA.apply(2, List.of(TestEvents.tweet("europe", 1)), null, 4);
    storeA.fence(2);
    storeB.fence(3);

    assertThat(PartitionCopy.copy(a, b, TOPIC, 2, rows -> {})).isEqualTo(new CopyResult(4L, 1));
    assertThat(PartitionCopy.copy(a, b, TOPIC, 3, rows -> {})).isEqualTo(new CopyResult(null, 0));

    assertThat(storeB.appliedOffsets(List.of(2, 3))).containsExactly(Map.entry(2, 4L));
    assertThat(Sql.number(urlB, "SELECT count(*) FROM applied_offsets")).isOne();
    assertThat(Sql.number(urlB, "SELECT count(*) FROM tweets_p3")).isZero();
  }

  @Test
  void streamsFiftyThousandRowsAndReportsProgressOnTheWay() throws Exception {
    storeA.ensurePartitions(List.of(1));
    execute(
        a,
        """
        INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)
        SELECT gen_random_uuid(), 'europe', g, repeat('x', 100) || g, g % 50,
               now() - g * interval '1 ms', 1
        FROM generate_series(1, 50000) g;
        INSERT INTO tweet_tombstones (id, occurred_at, partition)
        SELECT gen_random_uuid(), now(), 1 FROM generate_series(1, 1000);
        INSERT INTO applied_offsets (topic, partition, next_offset)
        VALUES ('ingest.events', 1, 51000);
        """);
    List<Long> progress = new ArrayList<>();

    CopyResult result = PartitionCopy.copy(a, b, TOPIC, 1, progress::add);

    assertThat(result).isEqualTo(new CopyResult(51_000L, 51_000));
    assertThat(progress).startsWith(10_000L, 20_000L, 30_000L, 40_000L, 50_000L).isSorted();
    assertThat(progress).last().isEqualTo(51_000L);
    assertThat(Sql.number(urlB, "SELECT count(*) FROM tweets_p1")).isEqualTo(50_000);
    assertThat(
            Sql.number(
                urlB,
                "SELECT count(*) FROM tweets WHERE owner_id = 4242 AND text = repeat('x', 100)"
                    + " || '4242'"))
        .isOne();
  }

  private void assertSamePartition(int partition) {
    for (ShardTable table : ShardSchema.all()) {
      String select =
          "SELECT "
              + table.columnList()
              + " FROM "
              + table.name()
              + " WHERE partition = "
              + partition
              + " ORDER BY id";
      List<Map<String, Object>> expected = Sql.rows(urlA, select);
      assertThat(Sql.rows(urlB, select)).as(table.name()).isEqualTo(expected);
    }
  }

  private static void execute(AutoCommitOffDataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
      c.commit();
    }
  }
}
