package dev.shardpipe.testing;

import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded branch: broker and PostgreSQL in this JVM, in a temporary directory. */
final class EmbeddedServers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private final Path dir;
  private final KafkaBroker kafka;
  private final PostgresServer postgres;

  private EmbeddedServers(Path dir, KafkaBroker kafka, PostgresServer postgres) {
    this.dir = dir;
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static Infrastructure start() {
    try {
      Path dir = Files.createTempDirectory("shardpipe-it-");
      long started = System.nanoTime();
      // Tests do not need durable commits; this keeps PostgreSQL from fsyncing on every commit.
      PostgresServer postgres =
          PostgresServer.start(dir.resolve("postgres"), 0, Map.of("synchronous_commit", "off"));
      KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0);
      LOG.info(
          "embedded infrastructure: Kafka {} and PostgreSQL 127.0.0.1:{} in {} ms",
          kafka.bootstrapServers(),
          postgres.port(),
          (System.nanoTime() - started) / 1_000_000);
      return new Infrastructure(
          InfrastructureKind.EMBEDDED,
          new TestKafka(kafka.bootstrapServers()),
          new TestPostgres("127.0.0.1", postgres.port()),
          new EmbeddedServers(dir, kafka, postgres));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded infrastructure", e);
    }
  }

  /** Stops both servers and deletes their directories. */
  @Override
  public void close() throws IOException {
    try (postgres) {
      kafka.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
