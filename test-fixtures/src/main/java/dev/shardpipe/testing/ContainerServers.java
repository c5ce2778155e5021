package dev.shardpipe.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker branch: one Kafka and one PostgreSQL container, through Testcontainers' own modules
 * and nothing more. The images are the ones {@code compose/} pins, so tests and the distributed
 * deployment run the same servers.
 */
final class ContainerServers implements AutoCloseable {

  static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.3.1");
  static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:17.7");

  private static final Logger LOG = LoggerFactory.getLogger(ContainerServers.class);
  private static final int POSTGRES_PORT = 5432;

  private final KafkaContainer kafka;
  private final PostgreSQLContainer<?> postgres;

  private ContainerServers(KafkaContainer kafka, PostgreSQLContainer<?> postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static Infrastructure start() {
    // A topic auto-created with the broker's default partition count would break routing; the
    // embedded broker refuses auto-creation too.
    KafkaContainer kafka =
        new KafkaContainer(KAFKA_IMAGE).withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    // Trust authentication, as on the embedded server: tests connect as postgres with no password.
    // The settings match the embedded server's test settings; durability is not under test.
    PostgreSQLContainer<?> postgres =
        new PostgreSQLContainer<>(POSTGRES_IMAGE)
            .withUsername(TestPostgres.USER)
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
            .withCommand(
                "postgres",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "max_connections=200");
    long started = System.nanoTime();
    Startables.deepStart(kafka, postgres).join();
    LOG.info(
        "container infrastructure: Kafka {} ({}) and PostgreSQL {}:{} ({}) in {} ms",
        kafka.getBootstrapServers(),
        KAFKA_IMAGE,
        postgres.getHost(),
        postgres.getMappedPort(POSTGRES_PORT),
        POSTGRES_IMAGE,
        (System.nanoTime() - started) / 1_000_000);
    return new Infrastructure(
        InfrastructureKind.CONTAINERS,
        new TestKafka(kafka.getBootstrapServers()),
        new TestPostgres(postgres.getHost(), postgres.getMappedPort(POSTGRES_PORT)),
        new ContainerServers(kafka, postgres));
  }

  /** Stops both containers; Testcontainers' reaper removes them if this JVM dies first. */
  @Override
  public void close() {
    try (postgres) {
      kafka.stop();
    }
  }
}
