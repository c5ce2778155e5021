package dev.shardpipe.testing;

import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * A real Kafka broker and a real PostgreSQL server shared by all integration tests of one JVM:
 * containers started by Testcontainers when a Docker engine is reachable, the embedded servers of
 * {@code embedded-infra} otherwise, or as the system property {@value InfrastructureKind#PROPERTY}
 * says. Tests use the same methods either way and stay independent by taking their own topics and
 * databases from {@link #uniqueName}.
 */
public final class Infrastructure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final InfrastructureKind kind;
  private final TestKafka kafka;
  private final TestPostgres postgres;
  private final AutoCloseable servers;

  Infrastructure(
      InfrastructureKind kind, TestKafka kafka, TestPostgres postgres, AutoCloseable servers) {
    this.kind = kind;
    this.kafka = kafka;
    this.postgres = postgres;
    this.servers = servers;
  }

  static Infrastructure start() {
    InfrastructureChoice choice =
        InfrastructureChoice.choose(
            System.getProperty(InfrastructureKind.PROPERTY),
            () -> DockerClientFactory.instance().isDockerAvailable());
    LOG.info(
        "test infrastructure: {} ({})",
        choice.kind().name().toLowerCase(Locale.ROOT),
        choice.reason());
    return choice.kind() == InfrastructureKind.CONTAINERS
        ? ContainerServers.start()
        : EmbeddedServers.start();
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
   * Returns where the servers run.
   *
   * @return embedded or containers
   */
  public InfrastructureKind kind() {
    return kind;
  }

  /**
   * Returns the Kafka broker.
   *
   * @return the running broker, a single node
   */
  public TestKafka kafka() {
    return kafka;
  }

  /**
   * Returns the PostgreSQL server.
   *
   * @return the running server
   */
  public TestPostgres postgres() {
    return postgres;
  }

  /**
   * Returns the Kafka bootstrap address.
   *
   * @return {@code <host>:<port>}
   */
  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /**
   * Creates a database unless it exists, and returns its JDBC URL.
   *
   * @param name the database name, a lower-case identifier
   * @return a JDBC URL with the user in it, as {@link TestPostgres#jdbcUrl}
   * @throws IllegalStateException if PostgreSQL refuses
   */
  public String createDatabase(String name) {
    try {
      postgres.createDatabase(name);
      return postgres.jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  /** Stops both servers: the embedded ones delete their directories, the containers are removed. */
  @Override
  public void close() throws Exception {
    servers.close();
  }
}
