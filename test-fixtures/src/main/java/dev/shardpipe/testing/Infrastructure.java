package dev.shardpipe.testing;

import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a real PostgreSQL server shared by all integration tests of one JVM.
 * Tests stay independent by taking their own topics and databases from {@link #uniqueName}.
 */
public final class Infrastructure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Path dir;
  private final KafkaBroker kafka;
  private final PostgresServer postgres;

  private Infrastructure(Path dir, KafkaBroker kafka, PostgresServer postgres) {
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
      return new Infrastructure(dir, kafka, postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded infrastructure", e);
    }
  }

  /**
   * Returns a name no other test in this JVM gets, usable as a topic or database name.
   *
   * @param prefix a lower-case identifier, such as {@code shard_eu}
   * @return {@code <prefix>_<n>}
   */
  public static String uniqueName(String prefix) {
    return prefix + "_" + NAMES.incrementAndGet();
  }

  /**
   * Returns the Kafka broker.
   *
   * @return the running broker
   */
  public KafkaBroker kafka() {
    return kafka;
  }

  /**
   * Returns the PostgreSQL server.
   *
   * @return the running server
   */
  public PostgresServer postgres() {
    return postgres;
  }

  /**
   * Returns the Kafka bootstrap address.
   *
   * @return {@code 127.0.0.1:<port>}
   */
  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /**
   * Creates a database and returns its JDBC URL.
   *
   * @param name the database name
   * @return a JDBC URL with the user in it
   */
  public String createDatabase(String name) {
    try {
      postgres.createDatabase(name);
      return postgres.jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
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
