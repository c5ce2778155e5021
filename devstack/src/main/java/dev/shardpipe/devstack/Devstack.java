package dev.shardpipe.devstack;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.embedded.process.ServiceSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: a real PostgreSQL with one database per shard, a real Kafka
 * broker with the events and dead-letter topics, one writer per shard, ingest-api and
 * query-service, each service in its own JVM. Closing it stops the services, then Kafka, then
 * PostgreSQL; the data directory stays.
 */
public final class Devstack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  private final DevstackOptions options;
  private final Placement placement;
  private final PostgresServer postgres;
  private final KafkaBroker kafka;
  private final List<ServiceProcess> services;
  private final ScheduledExecutorService scheduler;

  private Devstack(
      DevstackOptions options,
      Placement placement,
      PostgresServer postgres,
      KafkaBroker kafka,
      List<ServiceProcess> services,
      ScheduledExecutorService scheduler) {
    this.options = options;
    this.placement = placement;
    this.postgres = postgres;
    this.kafka = kafka;
    this.services = services;
    this.scheduler = scheduler;
  }

  /**
   * Starts everything and waits until every service reports healthy.
   *
   * @param options how to run
   * @return the running devstack
   * @throws IllegalArgumentException if routing or placement is invalid, or a service jar is
   *     missing (the message says how to build it)
   * @throws IllegalStateException if a service does not become healthy; everything started is
   *     stopped again
   * @throws IOException if a server cannot start or a directory cannot be written
   * @throws SQLException if a shard database cannot be created
   * @throws InterruptedException if interrupted while starting
   */
  public static Devstack start(DevstackOptions options)
      throws IOException, SQLException, InterruptedException {
    Routing.of(options.partitions(), options.tweetLocations());
    Placement placement = Placement.parse(options.partitions(), options.placement());
    List<ServiceSpec> specs = specs(options, placement);
    for (ServiceSpec spec : specs) {
      requireJar(options.home(), spec.module());
    }
    if (options.clean()) {
      FileUtils.deleteDirectory(options.dataDir().toFile());
    }
    Files.createDirectories(options.dataDir());

    PostgresServer postgres =
        PostgresServer.start(
            options.dataDir().resolve("postgres"), options.postgresPort(), Map.of());
    KafkaBroker kafka = null;
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    List<ServiceProcess> services = new ArrayList<>();
    try {
      for (String shard : placement.shards()) {
        postgres.createDatabase(databaseName(shard));
      }
      kafka =
          KafkaBroker.start(
              options.dataDir().resolve("kafka"),
              options.kafkaPort(),
              options.kafkaControllerPort());
      kafka.ensureTopic(PipelineConfiguration.DEFAULT_TOPIC, options.partitions());
      kafka.ensureTopic(PipelineConfiguration.DEFAULT_DLQ_TOPIC, 1);
      Path logs = options.dataDir().resolve("logs");
      for (ServiceSpec spec : specs) {
        services.add(
            new ServiceProcess(
                spec,
                jar(options.home(), spec.module()),
                logs.resolve(spec.name() + ".log"),
                JVM_OPTIONS,
                scheduler,
                Clock.systemUTC()));
      }
      for (ServiceProcess service : services) {
        service.start();
      }
      for (ServiceProcess service : services) {
        service.awaitHealthy(HEALTHY_TIMEOUT);
      }
      return new Devstack(options, placement, postgres, kafka, services, scheduler);
    } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
      stopAll(services, kafka, postgres, scheduler);
      throw e;
    }
  }

  private static List<ServiceSpec> specs(DevstackOptions options, Placement placement) {
    List<String> shared =
        List.of(
            "--kafka.bootstrap.servers=127.0.0.1:" + options.kafkaPort(),
            "--shardpipe.database.url-template=jdbc:postgresql://127.0.0.1:"
                + options.postgresPort()
                + "/"
                + databaseName("{shard}"),
            "--shardpipe.partitions=" + options.partitions(),
            "--shardpipe.tweet-locations=" + options.tweetLocations(),
            "--shardpipe.placement=" + options.placement());
    List<ServiceSpec> specs = new ArrayList<>();
    int writerPort = options.writerBasePort();
    for (String shard : placement.shards()) {
      specs.add(
          new ServiceSpec(
              "writer-" + shard,
              "shard-writer",
              writerPort,
              with(shared, "--shard=" + shard, "--micronaut.server.port=" + writerPort)));
      writerPort++;
    }
    specs.add(
        new ServiceSpec(
            "ingest-api",
            "ingest-api",
            options.ingestPort(),
            with(shared, "--micronaut.server.port=" + options.ingestPort())));
    specs.add(
        new ServiceSpec(
            "query-service",
            "query-service",
            options.queryPort(),
            with(shared, "--micronaut.server.port=" + options.queryPort())));
    return specs;
  }

  private static List<String> with(List<String> shared, String... more) {
    List<String> all = new ArrayList<>(shared);
    all.addAll(List.of(more));
    return all;
  }

  /**
   * Finds the repository root from where this code was loaded: {@code
   * <root>/devstack/target/devstack.jar}, {@code <root>/devstack/target/classes} in tests, or
   * another module's {@code target/lib}; the root is the first ancestor with the service modules.
   *
   * @return the root, holding {@code <module>/target/<module>.jar} once built
   * @throws IllegalStateException if no ancestor is a checkout; callers offer {@code --home} then
   * @throws URISyntaxException if the code's location is not a valid URI
   */
  public static Path findHome() throws URISyntaxException {
    Path start =
        Path.of(Devstack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shard-writer"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root above "
            + start
            + "; pass --home <path of the shardpipe checkout>");
  }

  /**
   * Returns the database name of a shard.
   *
   * @param shard the shard
   * @return {@code shard_<shard>} (SPEC 9)
   */
  public static String databaseName(String shard) {
    return "shard_" + shard;
  }

  private static Path jar(Path home, String module) {
    return home.resolve(module).resolve("target").resolve(module + ".jar");
  }

  private static void requireJar(Path home, String module) {
    Path jar = jar(home, module);
    if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
      throw new IllegalArgumentException(
          jar
              + " is missing; build the services first with: mvn -q -DskipTests package"
              + " (from "
              + home
              + ")");
    }
  }

  /**
   * Returns the options it runs with.
   *
   * @return the options
   */
  public DevstackOptions options() {
    return options;
  }

  /**
   * Returns the placement of partitions on shards.
   *
   * @return the placement
   */
  public Placement placement() {
    return placement;
  }

  /**
   * Returns the PostgreSQL server holding the shard databases.
   *
   * @return the server
   */
  public PostgresServer postgres() {
    return postgres;
  }

  /**
   * Returns the Kafka broker.
   *
   * @return the broker
   */
  public KafkaBroker kafka() {
    return kafka;
  }

  /**
   * Returns the services, writers first.
   *
   * @return the services
   */
  public List<ServiceProcess> services() {
    return List.copyOf(services);
  }

  /** Stops the services (SIGTERM), then Kafka, then PostgreSQL. */
  @Override
  public void close() {
    stopAll(services, kafka, postgres, scheduler);
  }

  private static void stopAll(
      List<ServiceProcess> services,
      KafkaBroker kafka,
      PostgresServer postgres,
      ScheduledExecutorService scheduler) {
    List<Thread> stoppers = new ArrayList<>();
    for (ServiceProcess service : services) {
      Thread stopper =
          new Thread(
              () -> {
                try {
                  service.stop(STOP_TIMEOUT);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "stop-" + service.spec().name());
      stopper.start();
      stoppers.add(stopper);
    }
    for (Thread stopper : stoppers) {
      try {
        stopper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler.shutdownNow();
    if (kafka != null) {
      kafka.close();
    }
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("PostgreSQL did not stop cleanly", e);
    }
  }
}
