package dev.shardpipe.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.move.ShardDataSources;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.writer.consume.ShardWriter;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Moves a partition between two running writers while events for it keep arriving, and checks what
 * the protocol promises: every event exactly once on the shard the partition is placed on now, none
 * left on the old shard, whose child tables of the partition are gone.
 */
@ExtendWith(InfrastructureExtension.class)
class PartitionMoveIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final RegionPins PINS =
      RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS);

  private final List<ApplicationContext> writers = new ArrayList<>();
  private Infrastructure infra;
  private String topic;
  private String template;
  private ShardDataSources pools;

  @BeforeEach
  void createTopicsAndDatabases(Infrastructure shared) {
    infra = shared;
    topic = Infrastructure.uniqueName("moves");
    String prefix = Infrastructure.uniqueName("move");
    infra.kafka().ensureTopic(topic, 16);
    infra.kafka().ensureTopic(topic + ".dlq", 1);
    for (String shard : List.of("eu", "us", "c")) {
      infra.createDatabase(prefix + "_" + shard);
    }
    template =
        "jdbc:postgresql://127.0.0.1:"
            + infra.postgres().port()
            + "/"
            + prefix
            + "_{shard}?user=postgres";
    pools = new ShardDataSources("postgres", "", Duration.ofSeconds(5));
  }

  @AfterEach
  void stopEverything() {
    writers.forEach(ApplicationContext::close);
    writers.clear();
    pools.close();
  }

  @Test
  void movesAPartitionUnderLoadWithEveryEventExactlyOnceOnItsNewShard() throws Exception {
    // The first writer seeds the catalog; the test changes it through the same bean, as shardctl
    // would through its own.
    Catalog admin = startWriter("eu").getBean(Catalog.class);
    admin.addShard("c", template.replace("{shard}", "c"), "europe", "test");
    startWriter("c");

    int partition = Routing.defaults().partitionForTweet("europe", 42);
    Set<UUID> sent = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    CompletableFuture<Void> load =
        CompletableFuture.runAsync(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer =
                  WriterTestKit.bulkProducer(infra.kafkaBootstrap(), true)) {
                for (int round = 0; round < 400 && sending.get(); round++) {
                  List<TweetEvent> batch = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    batch.add(TestEvents.tweet("europe", 42));
                  }
                  List<RecordMetadata> acks = WriterTestKit.sendAll(producer, topic, batch);
                  assertThat(acks).allMatch(a -> a.partition() == partition);
                  batch.forEach(e -> sent.add(e.id()));
                  Thread.sleep(20);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    await().atMost(WAIT).until(() -> sent.size() >= 2_000);

    MoveSteps steps =
        new MoveSteps(
            admin, pools, topic, Duration.ofSeconds(10), Duration.ofSeconds(1), Clock.systemUTC());
    Move move = admin.startMove(partition, "c", PINS, false, "test");
    Move copied = steps.copy(move);
    assertThat(copied.state()).isEqualTo(MoveState.CATCHING_UP);
    assertThat(copied.rowsCopied()).isPositive();

    await().atMost(WAIT).until(() -> admin.move(move.id()).orElseThrow().state() == MoveState.DONE);
    sending.set(false);
    load.get();
    assertThat(admin.load().shardOf(partition)).isEqualTo("c");

    String euUrl = template.replace("{shard}", "eu");
    String cUrl = template.replace("{shard}", "c");
    long end =
        WriterTestKit.endOffsets(infra.kafkaBootstrap(), topic, partition, partition)
            .get(partition);
    await()
        .atMost(WAIT)
        .until(() -> WriterTestKit.appliedOffsets(cUrl, topic).getOrDefault(partition, 0L) == end);
    List<Map<String, Object>> rows =
        Sql.rows(cUrl, "SELECT id FROM tweets WHERE partition = ?", partition);
    Set<UUID> stored = new HashSet<>();
    rows.forEach(r -> stored.add((UUID) r.get("id")));
    assertThat(rows).as("no row twice").hasSize(stored.size());
    assertThat(stored).as("every event sent, exactly once").isEqualTo(sent);
    assertThat(
            Sql.rows(euUrl, "SELECT to_regclass(?) IS NULL AS gone", "tweets_p" + partition)
                .get(0)
                .get("gone"))
        .as("the old shard's child table of the partition is dropped")
        .isEqualTo(true);
    assertThat(
            Sql.rows(euUrl, "SELECT count(*) AS n FROM tweets WHERE partition = ?", partition)
                .get(0)
                .get("n"))
        .isEqualTo(0L);
    Map<Integer, Long> euRows =
        new HashMap<>(WriterTestKit.rowsPerPartition(euUrl, "tweets", "true"));
    assertThat(euRows).doesNotContainKey(partition);
  }

  private ApplicationContext startWriter(String shard) {
    Map<String, Object> properties =
        WriterTestKit.writerProperties(
            infra.kafkaBootstrap(), topic, topic + ".dlq", template, shard);
    properties.put("shardpipe.writer.reader-grace", "1s");
    ApplicationContext context = ApplicationContext.run(properties);
    writers.add(context);
    await()
        .atMost(WAIT)
        .until(() -> context.getBean(ShardWriter.class).state() == ShardWriter.State.RUNNING);
    return context;
  }
}
