package dev.shardpipe.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.embedded.process.ServiceSpec;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A writer running as its own JVM from {@code shard-writer/target/shard-writer.jar}, supervised as
 * the devstack supervises it, killed with SIGKILL twice while it drains 200 000 events: after the
 * restarts the shard must hold every event exactly once.
 */
@ExtendWith(InfrastructureExtension.class)
class WriterCrashIT {

  private static final int EVENTS = 200_000;
  private static final Duration WAIT = Duration.ofMinutes(4);

  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor();
  private ServiceProcess writer;

  @AfterEach
  void stopWriter() throws InterruptedException {
    if (writer != null) {
      writer.stop(Duration.ofSeconds(20));
    }
    supervisor.shutdownNow();
  }

  @Test
  void losesAndDuplicatesNothingWhenTheWriterProcessIsKilledMidStream(Infrastructure infra)
      throws Exception {
    String topic = Infrastructure.uniqueName("crash");
    String database = Infrastructure.uniqueName("crash");
    infra.kafka().ensureTopic(topic, 16);
    infra.kafka().ensureTopic(topic + ".dlq", 1);
    String url = infra.createDatabase(database + "_eu");
    List<TweetEvent> events = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      events.add(TestEvents.tweet("europe", i % 10_000));
    }
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(infra.kafkaBootstrap(), true)) {
      for (int from = 0; from < EVENTS; from += 20_000) {
        WriterTestKit.sendAll(producer, topic, events.subList(from, from + 20_000));
      }
    }
    Map<Integer, Long> ends = WriterTestKit.endOffsets(infra.kafkaBootstrap(), topic, 0, 15);
    assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EVENTS);

    int port = FreePort.find();
    Path root = Path.of(System.getProperty("shardpipe.root"));
    writer =
        new ServiceProcess(
            new ServiceSpec(
                "writer-eu",
                "shard-writer",
                port,
                List.of(
                    "--kafka.bootstrap.servers=" + infra.kafkaBootstrap(),
                    "--shardpipe.topic=" + topic,
                    "--shardpipe.dlq-topic=" + topic + ".dlq",
                    "--shardpipe.database.url-template=jdbc:postgresql://127.0.0.1:"
                        + infra.postgres().port()
                        + "/"
                        + database
                        + "_{shard}",
                    "--datasources.catalog.url="
                        + WriterTestKit.catalogDatabase(
                            "jdbc:postgresql://127.0.0.1:"
                                + infra.postgres().port()
                                + "/"
                                + database
                                + "_{shard}"),
                    "--shard=eu",
                    "--micronaut.server.port=" + port)),
            root.resolve("shard-writer/target/shard-writer.jar"),
            root.resolve("shard-writer/target/crash-it/writer-eu.log"),
            List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
            supervisor,
            Clock.systemUTC());
    writer.start();

    long firstKill = killOnceCommitted(url, topic, 40_000);
    long secondKill = killOnceCommitted(url, topic, firstKill + 40_000);
    assertThat(secondKill).isLessThan(EVENTS);

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(WriterTestKit.appliedOffsets(url, topic)).isEqualTo(ends));
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isEqualTo(EVENTS);
    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM tweets WHERE id = ANY(?)",
                (Object) events.stream().map(TweetEvent::id).toArray(UUID[]::new)))
        .isEqualTo(EVENTS);
    assertThat(WriterTestKit.rowsPerPartition(url, "tweets", "true")).isEqualTo(ends);
    assertThat(Sql.number(url, "SELECT count(*) FROM tweet_tombstones")).isZero();
  }

  /**
   * Waits until the running writer has committed at least {@code records}, then kills it with
   * SIGKILL and returns what was committed just before: less than every event, so the kill came in
   * the middle of the stream. The supervisor starts the writer again.
   */
  private long killOnceCommitted(String url, String topic, long records) throws Exception {
    await().atMost(WAIT).until(() -> writer.isAlive());
    long committed =
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> committed(url, topic), n -> n >= records);
    writer.kill();
    assertThat(committed).isLessThan(EVENTS);
    return committed;
  }

  private static long committed(String url, String topic) {
    if (Sql.number(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'applied_offsets'")
        == 0) {
      return 0;
    }
    return WriterTestKit.appliedOffsets(url, topic).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
