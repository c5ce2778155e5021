package dev.shardpipe.writer.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.EventHeaders;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.store.OffsetFencedException;
import dev.shardpipe.writer.config.WriterConfiguration;
import dev.shardpipe.writer.config.WriterShard;
import dev.shardpipe.writer.metrics.WriterMetrics;
import dev.shardpipe.writer.redirect.RecordRedirector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.json.JsonMapper;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's loop without a broker or a database: Kafka's {@link MockConsumer} and {@link
 * MockProducer}, and a {@link InMemoryShardSink} that keeps the store's contract. The ITs prove the
 * same against the real things; these pin the loop's decisions.
 */
class ShardWriterTest {

  private static final String SHARD = "eu";
  private static final String TOPIC = PipelineConfiguration.DEFAULT_TOPIC;
  private static final String DLQ = PipelineConfiguration.DEFAULT_DLQ_TOPIC;
  private static final Routing ROUTING = Routing.defaults();
  private static final EventCodec CODEC = new EventCodec(JsonMapper.createDefault());
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);

  private final InMemoryShardSink sink = new InMemoryShardSink(SHARD);
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TestCatalog catalog = new TestCatalog(snapshot(1, Set.of(0, 1)));
  private final List<ShardWriter> writers = new ArrayList<>();
  private PacedConsumer consumer = new PacedConsumer();

  @AfterEach
  void stopWriters() throws InterruptedException {
    for (ShardWriter writer : writers) {
      writer.stop();
    }
  }

  @Test
  void commitsEachPartitionsRowsWithItsNextOffset() {
    ShardWriter writer = start(false);
    List<Event> p0 = send(0, 0, 3);
    send(1, 0, 2);

    awaitOffset(0, 3);
    awaitOffset(1, 2);
    assertThat(sink.rows(0).keySet()).containsExactlyInAnyOrderElementsOf(ids(p0));
    assertThat(sink.migrations()).isEqualTo(1);
    assertThat(sink.ensured()).contains(0, 1);
    assertThat(writer.state()).isEqualTo(ShardWriter.State.RUNNING);
    awaitCounter(5, WriterMetrics.ROWS_WRITTEN);
  }

  @Test
  void retriesACommitWhoseAcknowledgementWasLostAndAppliesNothingTwice() {
    sink.loseNextAcknowledgement();
    ShardWriter writer = start(false);
    send(0, 0, 3);

    awaitOffset(0, 3);
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(writer.state()).isEqualTo(ShardWriter.State.RUNNING));
    assertThat(sink.commits()).isEqualTo(1);
    assertThat(sink.rowsWritten()).isEqualTo(3);
    awaitCounter(3, WriterMetrics.RECORDS);
    // Counted once, by the retry that learns the first attempt committed.
    awaitCounter(3, WriterMetrics.ROWS_WRITTEN);
    assertThat(writer.lastError()).isNull();
  }

  @Test
  void resumesFromTheStoredOffsetAfterARestartAndAppliesNothingTwice() throws InterruptedException {
    ShardWriter first = start(false);
    List<Event> events = send(0, 0, 3);
    awaitOffset(0, 3);
    first.stop();
    writers.remove(first);

    // The new consumer has no position: Kafka would deliver the partition from its start.
    consumer = new PacedConsumer();
    start(false);
    List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      again.add(record(0, i, events.get(i)));
    }
    TweetEvent later = tweet(0, "later");
    again.add(record(0, 3, later));
    deliver(again);

    awaitOffset(0, 4);
    assertThat(sink.commits()).isEqualTo(2);
    assertThat(sink.rowsWritten()).isEqualTo(4);
    assertThat(sink.rows(0)).containsKeys(later.id());
  }

  @Test
  void dropsAPartitionAnotherOwnerFencedAndKeepsWritingTheOthers() {
    ShardWriter writer = start(false);
    send(0, 0, 2);
    send(1, 0, 2);
    awaitOffset(0, 2);
    awaitOffset(1, 2);

    sink.fence(1);
    send(1, 2, 2);
    send(0, 2, 2);

    awaitOffset(0, 4);
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(writer.assignment()).containsExactly(0));
    assertThat(consumer.assignment()).containsExactly(new TopicPartition(TOPIC, 0));
    assertThat(sink.offset(1)).isEqualTo(2);
    assertThat(sink.rows(1)).hasSize(2);
    assertThat(writer.state()).isEqualTo(ShardWriter.State.RUNNING);
  }

  @Test
  void takesAFencedPartitionBackWhenANewerCatalogVersionPlacesItHereAgain() {
    ShardWriter writer = start(false);
    send(1, 0, 1);
    awaitOffset(1, 1);
    sink.fence(1);
    send(1, 1, 1);
    await().atMost(WAIT).pollInterval(POLL).until(() -> writer.assignment().equals(List.of(0)));

    // The partition came back by a move, its offset row now unfenced.
    sink.storeOffset(1, 1);
    catalog.publish(snapshot(2, Set.of(0, 1)));

    awaitAssigned(1);
    send(1, 1, 1);
    awaitOffset(1, 2);
  }

  @Test
  void stopsWhenAnotherWriterOfTheShardMovedTheOffset() {
    ShardWriter writer = start(false);
    send(0, 0, 1);
    awaitOffset(0, 1);

    sink.storeOffset(0, 40);
    send(0, 1, 1);

    Throwable failure = awaitFailure(writer);
    assertThat(failure)
        .hasMessageStartingWith("shard [eu] partition [0]: committing offsets 1..1 failed")
        .hasCauseInstanceOf(OffsetFencedException.class);
    assertThat(writer.state()).isEqualTo(ShardWriter.State.FAILED);
    assertThat(sink.offset(0)).isEqualTo(40);
  }

  @Test
  void retriesRetriableErrorsHoldingTheSameBatch() {
    sink.failBeforeCommit(
        new SQLException("the database system is starting up", "57P03"),
        new SQLException("connection refused", InMemoryShardSink.CONNECTION_FAILURE),
        new SQLException("deadlock detected", "40P01"));
    ShardWriter writer = start(false);
    send(0, 0, 3);

    awaitOffset(0, 3);
    assertThat(sink.attempts()).containsExactly(3L, 3L, 3L, 3L);
    assertThat(sink.commits()).isEqualTo(1);
    assertThat(sink.rows(0)).hasSize(3);
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(writer.state()).isEqualTo(ShardWriter.State.RUNNING));
    assertThat(writer.lastError()).isNull();
  }

  @Test
  void stopsOnAnErrorRetryingCannotFixNamingShardPartitionAndOffsets() {
    sink.failBeforeCommit(new SQLException("relation \"tweets_p0\" does not exist", "42P01"));
    ShardWriter writer = start(false);
    send(0, 0, 3);

    Throwable failure = awaitFailure(writer);
    assertThat(failure)
        .hasMessageStartingWith("shard [eu] partition [0]: committing offsets 0..2 failed")
        .hasCauseInstanceOf(SQLException.class);
    assertThat(writer.lastError()).contains("committing offsets 0..2 failed");
    assertThat(sink.offset(0)).isNull();
    assertThat(sink.commits()).isZero();
  }

  @Test
  void sendsTheEventsTheStoreRefusesToTheDeadLetterTopicWithItsReasonAndWritesTheRest() {
    sink.refuse(
        event ->
            ((TweetEvent) event).data().text().equals("refused")
                ? "new row violates check constraint \"tweets_text_check\""
                : null);
    start(false);
    TweetEvent good = tweet(0, "good");
    TweetEvent bad = tweet(0, "refused");
    TweetEvent alsoGood = tweet(0, "also good");
    deliver(
        List.of(
            record(0, 0, good),
            record(0, 1, bad),
            new ConsumerRecord<>(TOPIC, 0, 2, null, "not json".getBytes(UTF_8)),
            record(0, 3, alsoGood)));

    awaitOffset(0, 4);
    assertThat(sink.rows(0).keySet()).containsExactlyInAnyOrder(good.id(), alsoGood.id());
    List<ProducerRecord<byte[], byte[]>> dead =
        producer.history().stream().filter(r -> r.topic().equals(DLQ)).toList();
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(1), EventHeaders.ERROR))
        .isEqualTo(
            "database refused the event: new row violates check constraint"
                + " \"tweets_text_check\" (SQLSTATE 23514)");
    assertThat(header(dead.get(1), EventHeaders.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(dead.get(1).value()).isEqualTo(CODEC.encode(bad));
    awaitCounter(1, WriterMetrics.DEAD_LETTERS, "cause", "refused");
    awaitCounter(1, WriterMetrics.DEAD_LETTERS, "cause", "invalid");
  }

  @Test
  void forwardsAnEventConsumedFromAnotherPartitionThanItRoutesTo() {
    start(false);
    TweetEvent elsewhere = tweet(1, "routes to partition 1");
    deliver(List.of(record(0, 0, elsewhere)));

    awaitOffset(0, 1);
    assertThat(sink.rows(0)).isEmpty();
    assertThat(producer.history())
        .singleElement()
        .satisfies(
            forward -> {
              assertThat(forward.topic()).isEqualTo(TOPIC);
              assertThat(forward.partition()).isEqualTo(1);
            });
  }

  @Test
  void addsAndDropsPartitionsAsThePlacementChanges() {
    ShardWriter writer = start(false);
    send(0, 0, 1);
    awaitOffset(0, 1);
    // Partition 2 arrives with the offset its copy from the old shard brought along.
    sink.storeOffset(2, 5);

    catalog.publish(snapshot(2, Set.of(0, 2)));

    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(writer.assignment()).containsExactly(0, 2));
    assertThat(consumer.assignment())
        .containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2));
    assertThat(sink.ensured()).contains(2);
    deliver(
        List.of(record(2, 3, tweet(2, "copied already")), record(2, 4, tweet(2, "copied too"))));
    List<Event> fresh = send(2, 5, 2);

    awaitOffset(2, 7);
    assertThat(sink.rows(2).keySet()).containsExactlyInAnyOrderElementsOf(ids(fresh));
    send(0, 1, 1);
    awaitOffset(0, 2);
  }

  @Test
  void holdsAPartitionWhoseUnappliedRecordsRetentionDeletedAndWritesTheOthers() {
    ShardWriter writer = start(false);
    send(0, 0, 3);
    awaitOffset(0, 3);

    beforeNextFetch(
        () -> {
          consumer.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 10L));
          consumer.addRecord(record(0, 10, tweet(0, "after the gap")));
        });

    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(writer.dataLoss())
                    .containsExactly(Map.entry(0, new ShardWriter.DataLoss(3, 10))));
    send(1, 0, 2);
    awaitOffset(1, 2);
    assertThat(consumer.paused()).containsExactly(new TopicPartition(TOPIC, 0));
    assertThat(sink.offset(0)).isEqualTo(3);
    assertThat(gauge(WriterMetrics.DATA_LOSS, "0")).isEqualTo(7);
  }

  @Test
  void goesOnFromTheOldestRecordLeftWhenDataLossIsAccepted() {
    ShardWriter writer = start(true);
    send(0, 0, 3);
    awaitOffset(0, 3);

    TweetEvent after = tweet(0, "after the gap");
    beforeNextFetch(
        () -> {
          consumer.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 10L));
          consumer.addRecord(record(0, 10, after));
        });

    awaitOffset(0, 11);
    assertThat(sink.rows(0)).containsKey(after.id());
    assertThat(writer.dataLoss()).isEmpty();
    assertThat(gauge(WriterMetrics.DATA_LOSS, "0")).isEqualTo(7);
  }

  // ---- the writer and its surroundings

  private ShardWriter start(boolean acceptDataLoss) {
    WriterConfiguration config =
        new WriterConfiguration(
            SHARD,
            Duration.ofMillis(10),
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            Duration.ofSeconds(5),
            WriterConfiguration.DEFAULT_POOL_SIZE,
            Duration.ofSeconds(2),
            WriterConfiguration.DEFAULT_WRITE_CONCURRENCY,
            Duration.ofSeconds(1),
            WriterConfiguration.DEFAULT_CUTOVER_LAG,
            Duration.ofSeconds(1),
            acceptDataLoss);
    PipelineConfiguration pipeline =
        new PipelineConfiguration(
            TOPIC,
            DLQ,
            Routing.DEFAULT_PARTITIONS,
            Routing.DEFAULT_TWEET_LOCATIONS,
            Placement.DEFAULT_PLACEMENT,
            RegionPins.DEFAULT_LOCATION_REGIONS,
            RegionPins.DEFAULT_SHARD_REGIONS,
            Duration.ofSeconds(1));
    WriterShard shard = new WriterShard(SHARD, "jdbc:postgresql://127.0.0.1:5433/eu");
    Map<TopicPartition, Long> starts = new HashMap<>();
    IntStream.range(0, Routing.DEFAULT_PARTITIONS)
        .forEach(p -> starts.put(new TopicPartition(TOPIC, p), 0L));
    consumer.updateBeginningOffsets(starts);
    PacedConsumer kafka = consumer;
    ShardWriter writer =
        new ShardWriter(
            shard,
            pipeline,
            config,
            ROUTING,
            CODEC,
            sink,
            new RecordRedirector(producer, TOPIC, DLQ, SHARD),
            new WriterMetrics(registry, shard),
            () -> kafka,
            catalog,
            (loop, assignment, positions) -> (polled, snapshot) -> {});
    writers.add(writer);
    writer.start();
    return writer;
  }

  /** Eu holds the given partitions, us the others; no move under way. */
  private static CatalogSnapshot snapshot(long version, Set<Integer> eu) {
    Map<Integer, String> placement = new HashMap<>();
    for (int p = 0; p < Routing.DEFAULT_PARTITIONS; p++) {
      placement.put(p, eu.contains(p) ? SHARD : "us");
    }
    return new CatalogSnapshot(
        version,
        Routing.DEFAULT_PARTITIONS,
        List.of(
            new Shard(SHARD, "jdbc:postgresql://127.0.0.1:5433/eu", null, ShardState.ACTIVE),
            new Shard("us", "jdbc:postgresql://127.0.0.1:5433/us", null, ShardState.ACTIVE)),
        placement,
        List.of());
  }

  /** Delivers {@code count} new tweets routed to the partition at consecutive offsets. */
  private List<Event> send(int partition, long firstOffset, int count) {
    List<Event> events = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TweetEvent event = tweet(partition, "tweet " + (firstOffset + i));
      records.add(record(partition, firstOffset + i, event));
      events.add(event);
    }
    deliver(records);
    return events;
  }

  /**
   * Hands the records to the writer's next poll all at once, as one fetch would, so that a batch is
   * never split by the test's timing.
   */
  private void deliver(List<ConsumerRecord<byte[], byte[]>> records) {
    records.forEach(r -> awaitAssigned(r.partition()));
    consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
  }

  /** Runs the change inside the writer's next poll, before it fetches. */
  private void beforeNextFetch(Runnable change) {
    consumer.schedulePollTask(change);
  }

  private static TweetEvent tweet(int partition, String text) {
    return TweetEvent.upsert(UUID.randomUUID(), T, "europe", ownerFor(partition), text, 0);
  }

  /** An owner whose European tweets route to the partition. */
  private static long ownerFor(int partition) {
    for (long owner = 1; owner < 100_000; owner++) {
      if (ROUTING.partitionForTweet("europe", owner) == partition) {
        return owner;
      }
    }
    throw new IllegalArgumentException("no European owner routes to partition " + partition);
  }

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, Event event) {
    return new ConsumerRecord<>(TOPIC, partition, offset, null, CODEC.encode(event));
  }

  private static List<UUID> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), UTF_8);
  }

  private void awaitAssigned(int partition) {
    TopicPartition tp = new TopicPartition(TOPIC, partition);
    await().atMost(WAIT).pollInterval(POLL).until(() -> consumer.assignment().contains(tp));
  }

  private void awaitOffset(int partition, long next) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(next).equals(sink.offset(partition)));
  }

  private static Throwable awaitFailure(ShardWriter writer) {
    await().atMost(WAIT).pollInterval(POLL).until(() -> writer.termination().isDone());
    assertThat(writer.termination()).isCompletedExceptionally();
    try {
      writer.termination().join();
      throw new AssertionError("the writer ended without an error");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /**
   * Waits for a counter: the store's offset, which tests await, moves inside the apply, and the
   * writer counts after it returns.
   */
  private void awaitCounter(double expected, String name, String... tags) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(counter(name, tags)).isEqualTo(expected));
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private double gauge(String name, String partition) {
    return registry.get(name).tag("partition", partition).gauge().value();
  }

  /** The catalog as a test moves it: one snapshot at a time, listeners told of each. */
  private static final class TestCatalog implements CatalogView {

    private final List<Consumer<CatalogSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile CatalogSnapshot current;

    TestCatalog(CatalogSnapshot first) {
      this.current = first;
    }

    void publish(CatalogSnapshot snapshot) {
      current = snapshot;
      listeners.forEach(listener -> listener.accept(snapshot));
    }

    @Override
    public CatalogSnapshot current() {
      return current;
    }

    @Override
    public boolean connected() {
      return true;
    }

    @Override
    public CatalogSnapshot refresh() {
      return current;
    }

    @Override
    public void addListener(Consumer<CatalogSnapshot> listener) {
      listeners.add(listener);
    }
  }

  /**
   * MockConsumer returns at once when it has nothing to give; a short pause then keeps the loop
   * from spinning a core while the test waits for it.
   */
  private static final class PacedConsumer extends MockConsumer<byte[], byte[]> {

    PacedConsumer() {
      super("none");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
      if (records.isEmpty()) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }
  }
}
