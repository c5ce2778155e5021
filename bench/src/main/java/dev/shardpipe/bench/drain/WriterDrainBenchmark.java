package dev.shardpipe.bench.drain;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.bench.fill.TopicFill;
import dev.shardpipe.bench.peer.ConnectSinkSettings;
import dev.shardpipe.bench.peer.DebeziumSink;
import dev.shardpipe.bench.peer.SinkTimes;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.embedded.process.ServiceSpec;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.generator.OccurredAt;
import dev.shardpipe.generator.TweetTexts;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardStore;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.apache.commons.io.FileUtils;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer-drain benchmark (docs/benchmarks.md, "Writer drain"): pre-fills the events topic of a
 * fresh broker with fake tweets spread over both shards, starts one writer per shard from its jar
 * as a child JVM (as the devstack does), and times them from launch and from their first commit to
 * the moment their {@code applied_offsets} cover every record; then runs the peer users would pick
 * instead, Kafka Connect with the Debezium JDBC sink ({@link DebeziumSink}), on the same rows;
 * upserts them with plain JDBC batches into a table of the same schema and indexes on the same
 * PostgreSQL server, and loads them with {@code COPY} into that table emptied, for comparison.
 *
 * <p>Everything runs on 127.0.0.1 in {@link WriterDrainOptions#dataDir()}, which is emptied first.
 * A suite calls {@link #run()} and reads the {@link WriterDrainResult}.
 */
public final class WriterDrainBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(WriterDrainBenchmark.class);
  private static final String TOPIC = PipelineConfiguration.DEFAULT_TOPIC;
  private static final String BASELINE_DATABASE = "jdbc_baseline";
  private static final String PEER_DATABASE = "debezium_peer";
  private static final Duration COMMIT_POLL = Duration.ofMillis(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(30);
  private static final String CATALOG_DATABASE = "shardpipe_catalog";
  private static final Instant FIRST_TWEET = Instant.parse("2026-11-21T00:00:00Z");
  private static final long OWNERS = 1_000_000;
  private static final String COUNT_TWEETS = "SELECT count(*) FROM " + ShardSchema.TWEETS.name();

  private final WriterDrainOptions options;

  /**
   * Prepares a run.
   *
   * @param options how to run
   */
  public WriterDrainBenchmark(WriterDrainOptions options) {
    this.options = options;
  }

  /**
   * Runs the benchmark once, end to end, and stops everything it started.
   *
   * @return the measurements
   * @throws IllegalArgumentException if the writer jar is missing (the message says how to build
   *     it)
   * @throws IllegalStateException if the writers do not drain the topic within the timeout, or a
   *     count does not match the events
   * @throws IOException if a server cannot start or the data directory cannot be written
   * @throws SQLException if a database statement fails
   * @throws InterruptedException if interrupted
   */
  public WriterDrainResult run() throws IOException, SQLException, InterruptedException {
    Path jar = options.home().resolve("shard-writer/target/shard-writer.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar + " is missing; build it first with: mvn -q -DskipTests package");
    }
    FileUtils.deleteDirectory(options.dataDir().toFile());
    Routing routing = Routing.defaults();
    try (PostgresServer postgres =
            PostgresServer.start(
                options.dataDir().resolve("postgres"), 0, options.postgresSettings());
        KafkaBroker kafka = KafkaBroker.start(options.dataDir().resolve("kafka"), 0, 0)) {
      kafka.ensureTopic(TOPIC, Routing.DEFAULT_PARTITIONS);
      kafka.ensureTopic(PipelineConfiguration.DEFAULT_DLQ_TOPIC, 1);
      DebeziumSink.createTopic(kafka, Routing.DEFAULT_PARTITIONS);
      CatalogSnapshot placement = seedCatalog(postgres);
      for (String shard : placement.shards()) {
        postgres.createDatabase(database(shard));
      }
      migrateLikeAShard(postgres, BASELINE_DATABASE);
      migrateLikeAShard(postgres, PEER_DATABASE);

      LOG.info(
          "generating {} fake tweets with {} ids (seed {})",
          options.events(),
          options.ids(),
          options.seed());
      List<TweetEvent> events = tweets(options.events(), options.seed(), options.ids());
      int[] partitions = events.stream().mapToInt(routing::partitionFor).toArray();
      Duration produce = produce(kafka, events, partitions);
      LOG.info("topic {} pre-filled in {} ms", TOPIC, produce.toMillis());

      checkpoint(postgres);
      LoadAverage drainLoad = LoadAverage.now();
      Drain drain = drain(postgres, kafka, placement);
      drainLoad = drainLoad.until(LoadAverage.now());
      LOG.info(
          "writers drained {} events: {} ms from launch, {} ms from the first commit",
          options.events(),
          drain.wall().toMillis(),
          drain.fromFirstCommit().toMillis());

      Peer peer = peer(postgres, kafka, events, partitions);
      requireEvents("the Debezium JDBC sink", count(postgres.jdbcUrl(PEER_DATABASE), COUNT_TWEETS));

      checkpoint(postgres);
      LOG.info("JDBC batch upsert of the same rows into {}", BASELINE_DATABASE);
      Duration jdbc;
      Cpu baselineCpu;
      LoadAverage baselineLoad = LoadAverage.now();
      try (Connection c = JdbcBatchUpsert.connect(postgres.jdbcUrl(BASELINE_DATABASE))) {
        Duration clientBefore = CpuTime.ofThisJvm();
        Duration postgresBefore = CpuTime.ofPostgres(postgres.dataDir());
        jdbc = JdbcBatchUpsert.run(c, events, partitions, options.baselineBatchSize());
        baselineCpu =
            new Cpu(
                CpuTime.ofThisJvm().minus(clientBefore),
                CpuTime.ofPostgres(postgres.dataDir()).minus(postgresBefore));
      }
      baselineLoad = baselineLoad.until(LoadAverage.now());
      long baselineRows = count(postgres.jdbcUrl(BASELINE_DATABASE), COUNT_TWEETS);
      requireEvents("the baseline", baselineRows);

      LOG.info("COPY of the same rows into the same tweets, emptied, with its indexes");
      Duration copy;
      Duration copyPostgresCpu;
      LoadAverage copyLoad;
      try (Connection c = JdbcBatchUpsert.connect(postgres.jdbcUrl(BASELINE_DATABASE))) {
        CopyLoad.truncate(c);
        checkpoint(postgres);
        copyLoad = LoadAverage.now();
        Duration postgresBefore = CpuTime.ofPostgres(postgres.dataDir());
        copy = CopyLoad.run(c, events, partitions);
        copyPostgresCpu = CpuTime.ofPostgres(postgres.dataDir()).minus(postgresBefore);
        copyLoad = copyLoad.until(LoadAverage.now());
      }
      requireEvents("COPY", count(postgres.jdbcUrl(BASELINE_DATABASE), COUNT_TWEETS));

      LOG.info("the same JDBC batch upsert into tweets with its primary key only");
      Duration primaryKeyOnly;
      try (Connection c = JdbcBatchUpsert.connect(postgres.jdbcUrl(BASELINE_DATABASE))) {
        JdbcBatchUpsert.dropAllButPrimaryKey(c);
        checkpoint(postgres);
        primaryKeyOnly = JdbcBatchUpsert.run(c, events, partitions, options.baselineBatchSize());
      }
      requireEvents(
          "the primary-key-only baseline",
          count(postgres.jdbcUrl(BASELINE_DATABASE), COUNT_TWEETS));
      return new WriterDrainResult(
          options.events(),
          options.ids(),
          drain.rowsPerShard(),
          produce,
          drain.wall(),
          drain.fromFirstCommit(),
          jdbc,
          primaryKeyOnly,
          drain.writersCpu(),
          drain.thisJvmCpu(),
          drain.postgresCpu(),
          baselineCpu.client(),
          baselineCpu.postgres(),
          copy,
          copyPostgresCpu,
          drain.meters(),
          drainLoad,
          baselineLoad,
          copyLoad,
          peer.produce(),
          peer.times(),
          peer.postgresCpu(),
          peer.load());
    }
  }

  /**
   * Makes the benchmark's rows: fake tweets shaped like ingest-api's, from the project's event
   * generator. {@code occurred_at} increases one millisecond at a time from {@link #FIRST_TWEET}
   * and the ids follow it ({@link TweetIds}); half of the tweets come from {@code europe} and half
   * from {@code usa}, so both shards get about half; owners are uniform in {@code 1..}{@value
   * #OWNERS}; texts are lorem ipsum of 3 to 42 words (and Datafaker's 0 to 5 more), cut to 280
   * characters, made fresh for every tweet so that Kafka's lz4 finds no more repeats than in real
   * texts. The suite gives Kafka's own tools the same records.
   *
   * @param count how many
   * @param seed the seed; the same seed and id kind give the same events, and both id kinds the
   *     same rows but for their ids
   * @param ids how the ids are made
   * @return {@code count} tweet upserts
   */
  public static List<TweetEvent> tweets(int count, long seed, TweetIds ids) {
    EventGenerator generator =
        EventGenerator.builder(seed)
            .ids(ids.of(seed))
            .occurredAt(OccurredAt.stepped(FIRST_TWEET, Duration.ofMillis(1)))
            .locations("europe", "usa")
            .keys(OWNERS)
            .texts(TweetTexts.lorem(3, 42))
            .pool(0)
            .build();
    List<TweetEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(generator.tweet());
    }
    return events;
  }

  /** Kafka Connect with the Debezium JDBC sink's run: the topic's filling is not timed. */
  private record Peer(Duration produce, SinkTimes times, Duration postgresCpu, LoadAverage load) {}

  /**
   * Runs the peer users would pick instead of the writers on the same rows, as Connect JSON in a
   * topic of their own, into a database migrated like a shard on the same server.
   */
  private Peer peer(
      PostgresServer postgres, KafkaBroker kafka, List<TweetEvent> events, int[] partitions)
      throws IOException, SQLException, InterruptedException {
    Duration produce = DebeziumSink.produce(kafka, events, partitions);
    LOG.info("topic {} filled in {} ms", DebeziumSink.TOPIC, produce.toMillis());
    DebeziumSink sink =
        new DebeziumSink(
            options.home(),
            options.dataDir().resolve("connect"),
            ConnectSinkSettings.defaults(),
            options.timeout());
    checkpoint(postgres);
    LoadAverage load = LoadAverage.now();
    Duration postgresBefore = CpuTime.ofPostgres(postgres.dataDir());
    try (DebeziumSink.Running connect =
        sink.launch(kafka.bootstrapServers(), postgres, PEER_DATABASE)) {
      SinkTimes times = connect.awaitRows(events, partitions);
      // Read before the worker stops: its backends take their CPU time with them when they exit.
      Duration postgresCpu = CpuTime.ofPostgres(postgres.dataDir()).minus(postgresBefore);
      LOG.info(
          "the Debezium JDBC sink wrote {} rows: {} ms from launch, {} ms from the first row",
          events.size(),
          times.fromLaunch().toMillis(),
          times.fromFirstRow().toMillis());
      return new Peer(produce, times, postgresCpu, load.until(LoadAverage.now()));
    }
  }

  /** A database with a shard's tables and a child table for every partition, on the server. */
  private static void migrateLikeAShard(PostgresServer postgres, String database)
      throws SQLException {
    postgres.createDatabase(database);
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(postgres.jdbcUrl(database));
    ShardStore store = new ShardStore(source, database, TOPIC);
    store.migrate();
    // The baseline and the peer insert into the parent tables directly: every partition needs its
    // child.
    store.ensurePartitions(IntStream.range(0, Routing.DEFAULT_PARTITIONS).boxed().toList());
  }

  private static String database(String shard) {
    return "shard_" + shard;
  }

  /**
   * Creates and seeds the catalog the writers follow, on the benchmark's own PostgreSQL: the
   * default placement, each shard a database {@code shard_<name>} on the same server. The writers
   * then find their shards and partitions there, as in the devstack.
   */
  private static CatalogSnapshot seedCatalog(PostgresServer postgres)
      throws SQLException, InterruptedException {
    postgres.createDatabase(CATALOG_DATABASE);
    try (CatalogClient catalog =
        CatalogClient.open(
            catalogUrl(postgres),
            PostgresServer.USER,
            "",
            Map.of(
                "micronaut.application.name",
                "bench",
                DatabaseConfiguration.PREFIX + ".url-template",
                urlTemplate(postgres)))) {
      if (!catalog.watcher().awaitLoaded(CATALOG_TIMEOUT)) {
        throw new IllegalStateException(
            "cannot seed the catalog at "
                + catalogUrl(postgres)
                + ": "
                + catalog.watcher().lastError());
      }
      return catalog.watcher().current();
    }
  }

  private static String catalogUrl(PostgresServer postgres) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + CATALOG_DATABASE;
  }

  private static String urlTemplate(PostgresServer postgres) {
    return "jdbc:postgresql://127.0.0.1:"
        + postgres.port()
        + "/"
        + database(DatabaseConfiguration.SHARD_PLACEHOLDER);
  }

  /** Fills the events topic as ingest-api would: keyed by shard key, the envelope as value. */
  private static Duration produce(KafkaBroker kafka, List<TweetEvent> events, int[] partitions)
      throws InterruptedException {
    EventCodec codec = new EventCodec(JsonMapper.createDefault());
    return TopicFill.produce(
        kafka.bootstrapServers(),
        TOPIC,
        events,
        partitions,
        (event, partition) -> event.shardKey().getBytes(UTF_8),
        (event, partition) -> codec.encode(event));
  }

  /** What the writers did: times, CPU and the rows each shard holds. */
  private record Drain(
      Duration wall,
      Duration fromFirstCommit,
      Map<String, Long> rowsPerShard,
      Duration writersCpu,
      Duration thisJvmCpu,
      Duration postgresCpu,
      WriterMeters meters) {}

  /** CPU time of the client and the server during a phase. */
  private record Cpu(Duration client, Duration postgres) {}

  private Drain drain(PostgresServer postgres, KafkaBroker kafka, CatalogSnapshot placement)
      throws IOException, SQLException, InterruptedException {
    ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor();
    List<ServiceProcess> writers = new ArrayList<>();
    Map<String, String> urls = new LinkedHashMap<>();
    try {
      for (String shard : placement.shards()) {
        urls.put(shard, placement.shard(shard).orElseThrow().url());
        int port = FreePort.find();
        List<String> arguments = new ArrayList<>();
        arguments.add("--kafka.bootstrap.servers=" + kafka.bootstrapServers());
        arguments.add("--datasources.catalog.url=" + catalogUrl(postgres));
        arguments.add("--datasources.catalog.username=" + PostgresServer.USER);
        arguments.add("--shard=" + shard);
        arguments.add("--micronaut.server.port=" + port);
        arguments.addAll(options.writerArguments());
        writers.add(
            new ServiceProcess(
                new ServiceSpec("writer-" + shard, "shard-writer", port, arguments),
                options.home().resolve("shard-writer/target/shard-writer.jar"),
                options.dataDir().resolve("logs").resolve("writer-" + shard + ".log"),
                options.writerJvmOptions(),
                supervisor,
                Clock.systemUTC()));
      }
      Duration thisJvmBefore = CpuTime.ofThisJvm();
      Duration postgresBefore = CpuTime.ofPostgres(postgres.dataDir());
      long launched = System.nanoTime();
      for (ServiceProcess writer : writers) {
        writer.start();
      }
      long firstCommit = -1;
      long deadline = launched + options.timeout().toNanos();
      long committed = 0;
      try (CommitWatcher watcher = new CommitWatcher(placement, PostgresServer.USER, TOPIC)) {
        while (committed < options.events()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the writers committed "
                    + committed
                    + " of "
                    + options.events()
                    + " records within "
                    + options.timeout()
                    + "; see the logs in "
                    + options.dataDir().resolve("logs"));
          }
          Thread.sleep(COMMIT_POLL.toMillis());
          committed = watcher.committed();
          if (committed > 0 && firstCommit < 0) {
            firstCommit = System.nanoTime();
          }
        }
      }
      long last = System.nanoTime();
      WriterMeters meters =
          WriterMeters.scrape(writers.stream().map(w -> w.spec().port()).toList());
      Duration writersCpu = CpuTime.of(writers.stream().map(ServiceProcess::pid).toList());
      Duration thisJvmCpu = CpuTime.ofThisJvm().minus(thisJvmBefore);
      Duration postgresCpu = CpuTime.ofPostgres(postgres.dataDir()).minus(postgresBefore);
      Map<String, Long> rows = new LinkedHashMap<>();
      long total = 0;
      for (Map.Entry<String, String> shard : urls.entrySet()) {
        long n = count(shard.getValue() + "?user=" + PostgresServer.USER, COUNT_TWEETS);
        rows.put(shard.getKey(), n);
        total += n;
      }
      requireEvents("the writers", total);
      return new Drain(
          Duration.ofNanos(last - launched),
          Duration.ofNanos(last - firstCommit),
          rows,
          writersCpu,
          thisJvmCpu,
          postgresCpu,
          meters);
    } finally {
      for (ServiceProcess writer : writers) {
        writer.stop(STOP_TIMEOUT);
      }
      supervisor.shutdownNow();
    }
  }

  private void requireEvents(String who, long rows) {
    if (rows != options.events()) {
      throw new IllegalStateException(
          who + " wrote " + rows + " rows for " + options.events() + " distinct events");
    }
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Starts each measured phase without dirty buffers left by the one before. */
  private static void checkpoint(PostgresServer postgres) throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
        Statement statement = c.createStatement()) {
      statement.execute("CHECKPOINT");
    }
  }
}
