package dev.shardpipe.devstack;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.embedded.process.ServiceSpec;
import dev.shardpipe.store.ShardRoles;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: a real PostgreSQL with the catalog database and one database
 * per shard, a real Kafka broker with the events and dead-letter topics, one writer per shard of
 * the catalog, ingest-api and query-service, each service in its own JVM. Closing it stops the
 * services, then Kafka, then PostgreSQL; the data directory stays.
 *
 * <p>The shards come from the catalog (docs/elasticity.md); {@code --placement} only seeds an empty
 * one, as it does for the services. The devstack watches the catalog: a shard added while it runs
 * ({@code shardctl add-shard}) gets a writer on the next free writer port, and the writer of a
 * removed shard is stopped.
 */
public final class Devstack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  /** The catalog's database on the devstack's PostgreSQL: {@value}. */
  public static final String CATALOG_DATABASE = "shardpipe_catalog";

  /** The file in the data directory holding the secret that signs read tokens. */
  static final String READ_TOKEN_SECRET_FILE = "read-token-secret";

  private static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(60);

  /** How long the events topic keeps records: Kafka's default, written down to compare with. */
  static final Duration EVENTS_RETENTION = Duration.ofDays(7);

  /**
   * How long the dead-letter topic keeps records: four times the events, as in compose. A dead
   * letter waits to be fixed and replayed; if it expired before the events around it, nothing would
   * show what was lost (docs/operations.md, "Replaying dead letters").
   */
  static final Duration DLQ_RETENTION = EVENTS_RETENTION.multipliedBy(4);

  private final DevstackOptions options;
  private final @Nullable DevstackAuth auth;
  private final PostgresServer postgres;
  private volatile KafkaBroker kafka;
  private final CatalogClient catalog;
  private final List<ServiceProcess> services;
  private final Map<String, ServiceProcess> writers;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService follower;
  private final Object lock = new Object();
  private boolean closed;

  private Devstack(
      DevstackOptions options,
      @Nullable DevstackAuth auth,
      PostgresServer postgres,
      KafkaBroker kafka,
      CatalogClient catalog,
      List<ServiceProcess> services,
      Map<String, ServiceProcess> writers,
      ScheduledExecutorService scheduler) {
    this.options = options;
    this.auth = auth;
    this.postgres = postgres;
    this.kafka = kafka;
    this.catalog = catalog;
    this.services = new CopyOnWriteArrayList<>(services);
    this.writers = new LinkedHashMap<>(writers);
    this.scheduler = scheduler;
    this.follower =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "devstack-catalog-follower");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts everything and waits until every service reports healthy.
   *
   * @param options how to run
   * @return the running devstack
   * @throws IllegalArgumentException if a service jar is missing (the message says how to build it
   *     or where to point the devstack to)
   * @throws IllegalStateException if a service does not become healthy; everything started is
   *     stopped again
   * @throws IOException if a server cannot start or a directory cannot be written
   * @throws SQLException if a shard database cannot be created
   * @throws InterruptedException if interrupted while starting
   */
  public static Devstack start(DevstackOptions options)
      throws IOException, SQLException, InterruptedException {
    Placement seed = Placement.parse(options.partitions(), options.placement());
    options.serviceJars().requireBuilt();
    if (options.clean()) {
      FileUtils.deleteDirectory(options.dataDir().toFile());
    }
    Files.createDirectories(options.dataDir());
    readTokenSecret(options.dataDir());
    DevstackAuth auth =
        options.auth()
            ? DevstackAuth.prepare(options.dataDir(), new SecureRandom(), Clock.systemUTC())
            : null;

    PostgresServer postgres =
        PostgresServer.start(
            options.dataDir().resolve("postgres"), options.postgresPort(), Map.of());
    KafkaBroker kafka = null;
    CatalogClient catalog = null;
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    List<ServiceProcess> services = new ArrayList<>();
    Map<String, ServiceProcess> writers = new LinkedHashMap<>();
    try {
      // A data directory from before the catalog has shard databases but no catalog: it is
      // created and seeded from the options, and the shards keep their rows.
      postgres.createDatabase(CATALOG_DATABASE);
      for (String shard : seed.shards()) {
        postgres.createDatabase(databaseName(shard));
      }
      catalog = openCatalog(options);
      CatalogSnapshot shards = catalog.watcher().current();
      for (String shard : shards.shards()) {
        createDatabaseIfLocal(postgres, shards.shard(shard).orElseThrow());
      }
      kafka =
          KafkaBroker.start(
              options.dataDir().resolve("kafka"),
              options.kafkaPort(),
              options.kafkaControllerPort());
      kafka.ensureTopic(
          PipelineConfiguration.DEFAULT_TOPIC, options.partitions(), retention(EVENTS_RETENTION));
      kafka.ensureTopic(PipelineConfiguration.DEFAULT_DLQ_TOPIC, 1, retention(DLQ_RETENTION));
      int port = options.writerBasePort();
      for (String shard : shards.shards()) {
        ServiceProcess writer = process(options, scheduler, writerSpec(options, shard, port++));
        writers.put(shard, writer);
        services.add(writer);
      }
      for (ServiceSpec spec : serviceSpecs(options, auth)) {
        services.add(process(options, scheduler, spec));
      }
      for (ServiceProcess service : services) {
        service.start();
      }
      for (ServiceProcess service : services) {
        service.awaitHealthy(HEALTHY_TIMEOUT);
      }
      Devstack devstack =
          new Devstack(options, auth, postgres, kafka, catalog, services, writers, scheduler);
      catalog.watcher().addListener(devstack::catalogChanged);
      return devstack;
    } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
      if (catalog != null) {
        catalog.close();
      }
      stopAll(services, kafka, postgres, scheduler);
      throw e;
    }
  }

  /**
   * Opens the catalog and waits until it is read: migrated, and seeded from the options when empty,
   * by the same code the services run.
   */
  private static CatalogClient openCatalog(DevstackOptions options) throws InterruptedException {
    Map<String, Object> seed = new LinkedHashMap<>();
    seed.put("micronaut.application.name", "devstack");
    seed.put("shardpipe.partitions", options.partitions());
    seed.put("shardpipe.tweet-locations", options.tweetLocations());
    seed.put("shardpipe.placement", options.placement());
    seed.put("shardpipe.shard-regions", RegionPins.DEFAULT_SHARD_REGIONS);
    seed.put("shardpipe.database.url-template", urlTemplate(options));
    CatalogClient catalog = CatalogClient.open(catalogUrl(options), PostgresServer.USER, "", seed);
    if (!catalog.watcher().awaitLoaded(CATALOG_TIMEOUT)) {
      String error = catalog.watcher().lastError();
      catalog.close();
      throw new IllegalStateException(
          "cannot read the catalog at " + catalogUrl(options) + ": " + error);
    }
    return catalog;
  }

  /**
   * Returns the catalog's JDBC URL.
   *
   * @param options how the devstack runs
   * @return {@code jdbc:postgresql://127.0.0.1:<postgres port>/shardpipe_catalog}
   */
  public static String catalogUrl(DevstackOptions options) {
    return "jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/" + CATALOG_DATABASE;
  }

  private static Map<String, String> retention(Duration retention) {
    return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
  }

  private static String urlTemplate(DevstackOptions options) {
    return "jdbc:postgresql://127.0.0.1:"
        + options.postgresPort()
        + "/"
        + databaseName(DatabaseConfiguration.SHARD_PLACEHOLDER);
  }

  /**
   * A shard the catalog places on this server (its database is shard_NAME here) gets it now; then
   * every shard gets its writer role and the grants of the database roles (docs/security.md).
   */
  private static void createDatabaseIfLocal(PostgresServer postgres, Shard shard)
      throws SQLException {
    String local =
        "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + databaseName(shard.name());
    if (shard.url().equals(local)) {
      postgres.createDatabase(databaseName(shard.name()));
    }
    grantRoles(shard);
  }

  /**
   * Creates the shard's writer role and grants the roles their privileges in its database, as the
   * superuser the devstack's PostgreSQL trusts. A shard added with a URL of another server is left
   * to whoever runs that server: its writer then logs in as its role there or fails to start.
   */
  private static void grantRoles(Shard shard) {
    try (Connection admin = DriverManager.getConnection(shard.url(), PostgresServer.USER, "")) {
      ShardRoles.createReader(admin, ShardRoles.READER, "");
      ShardRoles.createWriter(admin, ShardRoles.writer(shard.name()), "");
      ShardRoles.grant(
          admin, ShardRoles.READER, ShardRoles.writer(shard.name()), PostgresServer.USER);
    } catch (SQLException e) {
      LOG.warn(
          "devstack: cannot set up the database roles of shard {} at {}: {}",
          shard.name(),
          shard.url(),
          e.getMessage());
    }
  }

  private static ServiceProcess process(
      DevstackOptions options, ScheduledExecutorService scheduler, ServiceSpec spec) {
    return new ServiceProcess(
        spec,
        options.serviceJars().jar(spec.module()),
        options.dataDir().resolve("logs").resolve(spec.name() + ".log"),
        JVM_OPTIONS,
        scheduler,
        Clock.systemUTC());
  }

  /** Starts a writer for each shard added to the catalog, stops the writer of a removed one. */
  private void catalogChanged(CatalogSnapshot snapshot) {
    follower.execute(() -> follow(snapshot));
  }

  private void follow(CatalogSnapshot snapshot) {
    List<ServiceProcess> started = new ArrayList<>();
    List<ServiceProcess> stopped = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      Set<String> wanted = new HashSet<>(snapshot.shards());
      for (String shard : snapshot.shards()) {
        if (writers.containsKey(shard)) {
          continue;
        }
        try {
          createDatabaseIfLocal(postgres, snapshot.shard(shard).orElseThrow());
          ServiceProcess writer =
              process(options, scheduler, writerSpec(options, shard, freeWriterPort()));
          writer.start();
          writers.put(shard, writer);
          services.add(0, writer);
          started.add(writer);
          LOG.info(
              "devstack: shard {} added to the catalog; writer-{} started on port {} (pid {})",
              shard,
              shard,
              writer.spec().port(),
              writer.pid());
        } catch (IOException | SQLException e) {
          LOG.error("devstack: cannot start the writer of shard {}", shard, e);
        }
      }
      for (String shard : List.copyOf(writers.keySet())) {
        if (!wanted.contains(shard)) {
          ServiceProcess writer = writers.remove(shard);
          services.remove(writer);
          stopped.add(writer);
        }
      }
    }
    for (ServiceProcess writer : stopped) {
      try {
        writer.stop(STOP_TIMEOUT);
        LOG.info("devstack: shard removed from the catalog; {} stopped", writer.spec().name());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (ServiceProcess writer : started) {
      try {
        writer.awaitHealthy(HEALTHY_TIMEOUT);
        LOG.info("devstack: {} is healthy", writer.spec().name());
      } catch (IllegalStateException e) {
        LOG.error("devstack: {}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The lowest writer port from the base on that no writer and no other service uses. */
  private int freeWriterPort() {
    Set<Integer> used = new HashSet<>();
    for (ServiceProcess service : services) {
      used.add(service.spec().port());
    }
    int port = options.writerBasePort();
    while (used.contains(port)) {
      port++;
    }
    return port;
  }

  private static List<String> shared(DevstackOptions options) {
    return List.of(
        "--kafka.bootstrap.servers=127.0.0.1:" + options.kafkaPort(),
        "--shardpipe.database.url-template=" + urlTemplate(options),
        "--datasources.catalog.url=" + catalogUrl(options),
        "--datasources.catalog.username=" + PostgresServer.USER,
        // Least privilege (docs/security.md): the owner migrates, each writer writes as the role
        // of its shard, query-service and ingest-api read as the read-only role.
        "--shardpipe.database.user=" + PostgresServer.USER,
        "--shardpipe.database.writer-user=" + ShardRoles.WRITER_TEMPLATE,
        "--shardpipe.database.reader-user=" + ShardRoles.READER,
        "--shardpipe.partitions=" + options.partitions(),
        "--shardpipe.tweet-locations=" + options.tweetLocations(),
        "--shardpipe.placement=" + options.placement());
  }

  /**
   * The secret ingest-api signs read tokens with and query-service checks them with: created at
   * random on the first start, then kept with the data, so that tokens handed out before a restart
   * stay valid after it. The file is readable by its owner only.
   */
  private static String readTokenSecret(Path dataDir) throws IOException {
    Path file = dataDir.resolve(READ_TOKEN_SECRET_FILE);
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      DevstackAuth.writeOwnerOnly(
          file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }
    return Files.readString(file).strip();
  }

  private static ServiceSpec writerSpec(DevstackOptions options, String shard, int port) {
    return new ServiceSpec(
        "writer-" + shard,
        "shard-writer",
        port,
        with(shared(options), "--shard=" + shard, "--micronaut.server.port=" + port));
  }

  private static List<ServiceSpec> serviceSpecs(
      DevstackOptions options, @Nullable DevstackAuth auth) throws IOException {
    Map<String, String> environment = httpEnvironment(options, auth);
    return List.of(
        new ServiceSpec(
            "ingest-api",
            "ingest-api",
            options.ingestPort(),
            with(httpShared(options, auth), "--micronaut.server.port=" + options.ingestPort()),
            environment),
        new ServiceSpec(
            "query-service",
            "query-service",
            options.queryPort(),
            with(httpShared(options, auth), "--micronaut.server.port=" + options.queryPort()),
            environment));
  }

  /** The HTTP services' arguments: with authentication off, /health shows its details to all. */
  private static List<String> httpShared(DevstackOptions options, @Nullable DevstackAuth auth) {
    return auth != null
        ? shared(options)
        : with(
            shared(options),
            "--micronaut.security.enabled=false",
            "--endpoints.health.details-visible=ANONYMOUS");
  }

  /** The HTTP services' secrets, passed in their environment so that no process list shows them. */
  private static Map<String, String> httpEnvironment(
      DevstackOptions options, @Nullable DevstackAuth auth) throws IOException {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SHARDPIPE_READ_TOKEN_SECRET", readTokenSecret(options.dataDir()));
    if (auth != null) {
      environment.put(DevstackAuth.SECRET_VARIABLE, auth.secret().text());
    }
    return environment;
  }

  private static List<String> with(List<String> shared, String... more) {
    List<String> all = new ArrayList<>(shared);
    all.addAll(List.of(more));
    return all;
  }

  /**
   * Finds the repository root from where this code was loaded, for the benchmarks, which need the
   * checkout's docs and build as well as the services' jars: {@code
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
    return ServiceJars.checkoutAbove(start)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "cannot find the repository root above "
                        + start
                        + "; pass --home <path of the shardpipe checkout>"));
  }

  /**
   * Returns the database name of a shard.
   *
   * @param shard the shard
   * @return {@code shard_<shard>} (docs/contract.md §9)
   */
  public static String databaseName(String shard) {
    return "shard_" + shard;
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
   * Returns the signing secret and the tokens of each role.
   *
   * @return them, or empty when the devstack runs with {@code --no-auth}
   */
  public Optional<DevstackAuth> auth() {
    return Optional.ofNullable(auth);
  }

  /**
   * Returns the placement of partitions on shards as the catalog has it now.
   *
   * @return the newest catalog snapshot this devstack has seen
   */
  public CatalogSnapshot placement() {
    return catalog.watcher().current();
  }

  /**
   * Returns the catalog, for tools and tests that change it.
   *
   * @return the catalog client; the devstack closes it
   */
  public CatalogClient catalog() {
    return catalog;
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
   * Stops the Kafka broker and starts it again on the same log directory and ports, as a broker
   * restart in production would: the services see it go away and come back.
   *
   * @throws IOException if the broker cannot start again
   */
  public void restartKafka() throws IOException {
    synchronized (lock) {
      kafka = kafka.restart();
    }
  }

  /**
   * Returns the services, writers first.
   *
   * @return the services running now
   */
  public List<ServiceProcess> services() {
    return List.copyOf(services);
  }

  /**
   * Returns the writer of a shard.
   *
   * @param shard the shard's name
   * @return its writer, or null when the devstack runs none for it (yet)
   */
  public ServiceProcess writer(String shard) {
    synchronized (lock) {
      return writers.get(shard);
    }
  }

  /** Stops following the catalog, then the services (SIGTERM), then Kafka, then PostgreSQL. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    follower.shutdownNow();
    catalog.close();
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
