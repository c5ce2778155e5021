package dev.shardpipe.bench.suite;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.bench.drain.TweetIds;
import dev.shardpipe.bench.drain.WriterDrainBenchmark;
import dev.shardpipe.bench.drain.WriterDrainOptions;
import dev.shardpipe.bench.drain.WriterDrainResult;
import dev.shardpipe.bench.peer.ConnectSinkSettings;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.devstack.Devstack;
import dev.shardpipe.devstack.DevstackOptions;
import dev.shardpipe.devstack.ServiceJars;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.loadgen.shards.ShardOffsets;
import dev.shardpipe.loadgen.shards.ShardPools;
import dev.shardpipe.store.ShardSchema;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's benchmark suite (docs/benchmarks.md): every performance figure of the pipeline,
 * each next to a reference measured in the same session on the same machine, as a ratio.
 *
 * <ol>
 *   <li>Writer drain of pre-produced tweet events next to Kafka Connect with the Debezium JDBC sink
 *       and a plain JDBC batch upsert of the same rows ({@link WriterDrainBenchmark}, its own
 *       broker and PostgreSQL).
 *   <li>A devstack of the services' jars on the suite's own ports, then through {@code loadgen}:
 *       single {@code POST /tweets} at a fixed rate; end-to-end freshness (send until the row's
 *       offset is in {@code applied_offsets}) at a fixed rate; routed and merged reads at fixed
 *       rates over rows loaded with {@code COPY}, next to the same SQL run on the shards directly;
 *       a partition of a million rows moved to a new shard under load ({@link MoveFigures}); and
 *       {@code POST /tweets/batch} of 1 000 as fast as it goes. The Kafka references are Kafka's
 *       own {@code ProducerPerformance} and {@code EndToEndLatency} on the same broker with the
 *       same records and ingest-api's producer settings.
 * </ol>
 *
 * <p>The batch run comes last because the writers fall minutes behind it on two cores; every other
 * figure would otherwise be measured beside their catch-up. Logs of every step are in {@code
 * <dataDir>/logs}, loadgen's JSON summaries in {@code <dataDir>/results}.
 */
public final class BenchSuite {

  private static final Logger LOG = LoggerFactory.getLogger(BenchSuite.class);

  /** ingest-api's producer settings (its application.yml), so the references send alike. */
  private static final Map<String, String> PRODUCER_SETTINGS =
      Map.of(
          "acks", "all",
          "enable.idempotence", "true",
          "linger.ms", "1",
          "batch.size", "65536",
          "compression.type", "lz4");

  private static final String REFERENCE_TOPIC = "bench.reference";
  private static final int PAYLOADS = 1_000;
  private static final int BATCH_SIZE = 1_000;
  private static final int FRESHNESS_BATCH_SIZE = 100;
  private static final int READ_YOUR_WRITES_RATE = 1_000;
  private static final int AGGREGATE_RUNS = 5;
  private static final int END_TO_END_RECORDS = 10_000;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(30);

  private final SuiteOptions options;
  private final Path logs;
  private final Path results;
  private final Path payloads;
  private final Loadgen loadgen;
  private final KafkaTools kafka;
  private final List<SuiteRow> rows = new ArrayList<>();

  /** Reads a shard's applied offsets while the devstack runs. */
  private ShardOffsets offsets;

  /**
   * Prepares a run.
   *
   * @param options what to run and where
   * @throws IllegalArgumentException if loadgen's jar is not built
   */
  public BenchSuite(SuiteOptions options) {
    this.options = options;
    this.logs = options.dataDir().resolve("logs");
    this.results = options.dataDir().resolve("results");
    this.payloads = options.dataDir().resolve("reference-payloads.ndjson");
    this.loadgen = new Loadgen(options.home(), logs, results);
    this.kafka =
        new KafkaTools(List.of(options.home().resolve("bench/target/lib").toString() + "/*"), logs);
  }

  /**
   * Runs every figure, prints the table and writes it into the docs file when one is given.
   *
   * @return the report as Markdown: the machine, the command and the table
   * @throws IllegalArgumentException if a jar is missing or a port of the suite is taken
   * @throws IllegalStateException if a step cannot run (a child JVM hangs, a summary is missing)
   * @throws IOException if a server cannot start or a file cannot be written
   * @throws SQLException if the read data cannot be loaded
   * @throws InterruptedException if interrupted
   * @throws ExecutionException if Kafka does not list the topic's end offsets
   * @throws TimeoutException if Kafka does not list them within 30 s
   */
  public String run()
      throws IOException, SQLException, InterruptedException, ExecutionException, TimeoutException {
    String started = java.time.Instant.now().toString();
    // Logs are appended to; a rerun starts with none from the run before.
    FileUtils.deleteDirectory(logs.toFile());
    FileUtils.deleteDirectory(results.toFile());
    Files.createDirectories(logs);
    if (options.runs(Figure.DRAIN)) {
      drain();
    }
    if (options.figures().stream().anyMatch(f -> f != Figure.DRAIN)) {
      DevstackOptions devstackOptions = devstackOptions();
      try (Devstack devstack = Devstack.start(devstackOptions);
          ShardPools pools = new ShardPools(PostgresServer.USER, "", 1)) {
        offsets = ShardOffsets.jdbc(pools, PipelineConfiguration.DEFAULT_TOPIC);
        devstack.kafka().ensureTopic(REFERENCE_TOPIC, devstackOptions.partitions());
        writePayloads();
        if (options.runs(Figure.SINGLE)) {
          single(devstack);
        }
        if (options.runs(Figure.FRESHNESS)) {
          freshness(devstack);
          readYourWrites(devstack);
        }
        if (options.runs(Figure.READS)) {
          reads(devstack);
        }
        if (options.runs(Figure.MOVE)) {
          move(devstack);
        }
        if (options.runs(Figure.CHAOS)) {
          rows.add(new ChaosFigures(devstack, suite(devstack)).run());
        }
        if (options.runs(Figure.BATCH)) {
          batch(devstack);
        }
      }
    }
    String report = SuiteReport.markdown(options, rows, started);
    System.out.println(report);
    if (options.docs() != null && options.figures().equals(EnumSet.allOf(Figure.class))) {
      SuiteReport.writeInto(options.docs(), report);
      System.out.println("written into " + options.docs());
    } else if (options.docs() != null) {
      System.out.println("not written into " + options.docs() + ": only some figures ran (--only)");
    }
    return report;
  }

  /** Waits until the writers have applied every record of the topic. */
  private Duration catchUp(Devstack devstack)
      throws InterruptedException, ExecutionException, TimeoutException {
    return CatchUp.await(devstack, devstack::placement, offsets, CATCH_UP_TIMEOUT);
  }

  private void move(Devstack devstack)
      throws IOException, SQLException, InterruptedException, ExecutionException, TimeoutException {
    rows.addAll(new MoveFigures(options, devstack, suite(devstack)).run());
  }

  /** What the move and chaos figures use of the suite: loadgen, its options, the catch-up. */
  private MoveFigures.Suite suite(Devstack devstack) {
    return new MoveFigures.Suite() {
      @Override
      public JsonNode loadgen(String name, List<String> arguments, Duration timeout)
          throws IOException, InterruptedException {
        return loadgen.run(name, arguments, timeout);
      }

      @Override
      public List<String> ingest(String figure, Duration measure, String... more) {
        return BenchSuite.this.ingest(figure, endpoints(devstack), measure, more);
      }

      @Override
      public void catchUp() throws InterruptedException, ExecutionException, TimeoutException {
        BenchSuite.this.catchUp(devstack);
      }
    };
  }

  private void drain() throws IOException, SQLException, InterruptedException {
    LOG.info("writer drain of {} events", options.drainEvents());
    double loadBefore = loadAverage();
    WriterDrainResult drain =
        new WriterDrainBenchmark(
                new WriterDrainOptions(
                    options.home(),
                    options.dataDir().resolve("drain"),
                    options.drainEvents(),
                    options.seed(),
                    TweetIds.V7,
                    WriterDrainOptions.DEFAULT_BASELINE_BATCH_SIZE,
                    WriterDrainOptions.DEFAULT_POSTGRES_SETTINGS,
                    WriterDrainOptions.DEFAULT_WRITER_JVM_OPTIONS,
                    List.of(),
                    Duration.ofMinutes(10)))
            .run();
    Files.writeString(logs.resolve("writer-drain.txt"), drain.report());
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "writer drain, %s pre-produced tweets, first to last commit",
                count(options.drainEvents())),
            count(drain.writersDrainRowsPerSecond()) + " rows/s",
            "plain JDBC batch upsert of the same rows (one connection, 2 000 per batch)",
            count(drain.baselineRowsPerSecond()) + " rows/s",
            ratio(drain.writersDrainRowsPerSecond() / drain.baselineRowsPerSecond()),
            "≥ 140 000 rows/s",
            met(drain.writersDrainRowsPerSecond() >= 140_000),
            load(loadBefore, loadAverage())));
    rows.add(
        new SuiteRow(
            "the same writer drain, first to last commit",
            count(drain.writersDrainRowsPerSecond()) + " rows/s",
            String.format(
                Locale.ROOT,
                "Kafka Connect standalone + Debezium JDBC sink, upsert, `batch.size` %d, %d tasks,"
                    + " the same rows as Connect JSON, first to last row",
                ConnectSinkSettings.DEFAULT_BATCH_SIZE,
                ConnectSinkSettings.DEFAULT_TASKS),
            count(drain.peerSteadyRowsPerSecond()) + " rows/s",
            ratio(drain.peerRatio()),
            "≥ 2× the peer",
            met(drain.peerRatio() >= 2),
            drain.peerLoad().toString()));
    rows.add(
        new SuiteRow(
            "the same JDBC upsert into `tweets` with its primary key only, no read indexes",
            count(drain.baselinePrimaryKeyOnlyRowsPerSecond()) + " rows/s",
            "the JDBC upsert with the shard's read indexes (above)",
            count(drain.baselineRowsPerSecond()) + " rows/s",
            ratio(drain.baselinePrimaryKeyOnlyRowsPerSecond() / drain.baselineRowsPerSecond()),
            "",
            "",
            load(loadBefore, loadAverage())));
  }

  private void single(Devstack devstack)
      throws IOException, InterruptedException, SQLException, ExecutionException, TimeoutException {
    int rate = options.singleRate();
    // The services' JITs are cold after start; an open-loop run that starts behind never catches
    // up, so a closed-loop run brings them to speed first, measured by no figure.
    loadgen.run(
        "single-warmup",
        ingest(
            "single-warmup",
            endpoints(devstack),
            "--batch-size",
            "1",
            "--concurrency",
            "16",
            "--verify",
            "none",
            "--no-freshness"),
        STEP_TIMEOUT);
    catchUp(devstack);
    double loadBefore = loadAverage();
    JsonNode run =
        loadgen
            .run(
                "single",
                ingest(
                    "single",
                    endpoints(devstack),
                    "--batch-size",
                    "1",
                    "--rate",
                    Integer.toString(rate),
                    "--concurrency",
                    "64",
                    // The figure is ingest-api's; the suite checks the writers' catch-up itself,
                    // so that loadgen spends no CPU watching applied_offsets meanwhile.
                    "--verify",
                    "none",
                    "--no-freshness"),
                STEP_TIMEOUT)
            .get("run");
    double loadAfter = loadAverage();
    catchUp(devstack);
    KafkaTools.ProducerResult reference =
        kafka.producerPerformance(
            devstack.kafka().bootstrapServers(),
            REFERENCE_TOPIC,
            rate * options.measure().toSeconds(),
            rate,
            payloads,
            PRODUCER_SETTINGS,
            "kafka-producer-performance-single");
    double p99 = run.get("latency").get("p99").getDoubleValue();
    double requestsPerSecond = run.get("requestsPerSecond").getDoubleValue();
    String figure =
        String.format(
            Locale.ROOT,
            "single `POST /tweets`, loadgen open-loop at %s requests/s, 64 in flight, %d s",
            count(rate),
            options.measure().toSeconds());
    rows.add(
        new SuiteRow(
            figure + ": rate",
            count(requestsPerSecond) + " requests/s" + failures(run),
            "Kafka `ProducerPerformance`, " + count(rate) + " records/s, acks=all",
            count(reference.recordsPerSecond()) + " records/s",
            ratio(requestsPerSecond / reference.recordsPerSecond()),
            "≥ 5 000 requests/s",
            met(requestsPerSecond >= 5_000 && ok(run)),
            load(loadBefore, loadAfter)));
    rows.add(
        new SuiteRow(
            figure + ": p99 latency (p50), from when each request was due",
            millis(p99) + " (" + millis(run.get("latency").get("p50").getDoubleValue()) + ")",
            "the same tool: send to acknowledgement, p99 (p50)",
            millis(reference.p99()) + " (" + millis(reference.p50()) + ")",
            ratio(p99 / Math.max(reference.p99(), 1)),
            "p99 < 25 ms",
            met(p99 < 25 && ok(run)),
            load(loadBefore, loadAfter)));
    singleClosedLoop(devstack, requestsPerSecond);
  }

  private void singleClosedLoop(Devstack devstack, double openLoopRequestsPerSecond)
      throws IOException, InterruptedException, SQLException, ExecutionException, TimeoutException {
    String figure =
        String.format(
            Locale.ROOT,
            "single `POST /tweets`, wrk closed loop, 16 connections, %d s: rate, p99 (p50)",
            options.measure().toSeconds());
    String reference = "loadgen open-loop (above), requests/s";
    if (!Wrk.installed()) {
      rows.add(
          new SuiteRow(
              figure,
              "not measured: wrk is not installed (Debian: apt-get install wrk)",
              reference,
              count(openLoopRequestsPerSecond),
              "",
              "",
              "",
              ""));
      return;
    }
    double loadBefore = loadAverage();
    Wrk.Result wrk =
        new Wrk(options.home(), logs)
            .run(
                "tweet.lua",
                "http://127.0.0.1:" + devstack.options().ingestPort(),
                16,
                options.measure(),
                token(devstack));
    double loadAfter = loadAverage();
    catchUp(devstack);
    rows.add(
        new SuiteRow(
            figure,
            count(wrk.requestsPerSecond())
                + " requests/s, "
                + millis(wrk.p99())
                + " ("
                + millis(wrk.p50())
                + ")"
                + (wrk.failed() == 0 ? "" : ", " + count(wrk.failed()) + " requests failed"),
            reference,
            count(openLoopRequestsPerSecond),
            ratio(wrk.requestsPerSecond() / openLoopRequestsPerSecond),
            "≥ 5 000 requests/s, p99 < 25 ms",
            met(wrk.requestsPerSecond() >= 5_000 && wrk.p99() < 25 && wrk.failed() == 0),
            load(loadBefore, loadAfter)));
  }

  private void freshness(Devstack devstack) throws IOException, InterruptedException {
    int rate = options.freshnessRate();
    double loadBefore = loadAverage();
    JsonNode summary =
        loadgen.run(
            "freshness",
            ingest(
                "freshness",
                endpoints(devstack),
                "--batch-size",
                Integer.toString(FRESHNESS_BATCH_SIZE),
                "--rate",
                Integer.toString(rate),
                "--concurrency",
                "32"),
            STEP_TIMEOUT);
    double loadAfter = loadAverage();
    KafkaTools.EndToEndResult reference =
        kafka.endToEndLatency(
            devstack.kafka().bootstrapServers(), REFERENCE_TOPIC, END_TO_END_RECORDS, 400);
    JsonNode fresh = summary.get("freshness");
    double p99 = fresh.get("p99").getDoubleValue();
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "end-to-end freshness at %s events/s (batches of %d), %d s: send until the row is"
                    + " visible, p99 (p50, max)",
                count(rate),
                FRESHNESS_BATCH_SIZE,
                options.measure().toSeconds()),
            millis(p99)
                + " ("
                + millis(fresh.get("p50").getDoubleValue())
                + ", "
                + millis(fresh.get("max").getDoubleValue())
                + "), "
                + count(summary.get("run").get("eventsPerSecond").getDoubleValue())
                + " events/s"
                + failures(summary.get("run")),
            "Kafka `EndToEndLatency`, one record at a time, produce until consumed, acks=all,"
                + " p99 (p50)",
            reference.p99() + " ms (" + reference.p50() + " ms)",
            ratio(p99 / Math.max(reference.p99(), 1)),
            "",
            "",
            load(loadBefore, loadAfter)));
  }

  /**
   * Reads every write back at once with its read token: single posts at {@value
   * #READ_YOUR_WRITES_RATE} writes/s, each {@code 202} followed by a read of that event with {@code
   * read_after}, timed from the {@code 202} to the row; next to the freshness the applied offsets
   * show for the same run.
   */
  private void readYourWrites(Devstack devstack) throws IOException, InterruptedException {
    double loadBefore = loadAverage();
    JsonNode summary =
        loadgen.run(
            "read-your-writes",
            ingest(
                "read-your-writes",
                endpoints(devstack),
                "--batch-size",
                "1",
                "--rate",
                Integer.toString(READ_YOUR_WRITES_RATE),
                "--concurrency",
                "64",
                "--read-your-writes",
                "--verify",
                "none"),
            STEP_TIMEOUT);
    JsonNode read = summary.get("readYourWrites");
    JsonNode latency = read.get("latency");
    JsonNode fresh = summary.get("freshness");
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "read your own write at %s writes/s, %d s: `202` until the row, read with its token"
                    + " (`read_after`), p99 (p50)",
                count(READ_YOUR_WRITES_RATE),
                options.measure().toSeconds()),
            millis(latency.get("p99").getDoubleValue())
                + " ("
                + millis(latency.get("p50").getDoubleValue())
                + "), "
                + count(latency.get("count").getDoubleValue())
                + " reads, "
                + count(
                    read.get("notApplied").getDoubleValue() + read.get("failed").getDoubleValue())
                + " not found"
                + failures(summary.get("run")),
            "freshness of the same events: send until the applied offset passed them, p99 (p50)",
            fresh == null
                ? "not measured"
                : millis(fresh.get("p99").getDoubleValue())
                    + " ("
                    + millis(fresh.get("p50").getDoubleValue())
                    + ")",
            fresh == null
                ? ""
                : ratio(
                    latency.get("p99").getDoubleValue()
                        / Math.max(fresh.get("p99").getDoubleValue(), 1)),
            "",
            "",
            load(loadBefore, loadAverage())));
  }

  private void reads(Devstack devstack) throws IOException, SQLException, InterruptedException {
    DevstackOptions devstackOptions = devstack.options();
    CatalogSnapshot placement = devstack.placement();
    LOG.info("loading {} tweets and {} files with COPY", options.readRows(), options.readRows());
    for (String shard : placement.shards()) {
      try (Connection c =
              DriverManager.getConnection(
                  placement.shard(shard).orElseThrow().url(), PostgresServer.USER, "");
          Statement s = c.createStatement()) {
        // The ingest figures before this one left their rows; the read figures are defined on
        // exactly the rows loaded here. The writers are idle: loadgen waited for their offsets.
        s.execute(
            "TRUNCATE " + ShardSchema.TWEETS.name() + ", " + ShardSchema.FILE_METADATA.name());
      }
    }
    ReadData.load(
        placement,
        PostgresServer.USER,
        Routing.of(devstackOptions.partitions(), devstackOptions.tweetLocations()),
        options.readRows(),
        options.readRows(),
        options.readKeys(),
        options.seed());
    List<String> shared =
        List.of(
            "--query-url",
            "http://127.0.0.1:" + devstackOptions.queryPort(),
            "--token",
            token(devstack),
            "--catalog-url",
            Devstack.catalogUrl(devstackOptions),
            "--owners",
            Long.toString(options.readKeys()),
            "--warmup",
            options.readWarmup().toString(),
            "--duration",
            options.measure().toString(),
            "--seed",
            Long.toString(options.seed()));
    readRow("routed", options.routedRate(), 10, shared);
    readRow("merged", options.mergedRate(), 30, shared);
    aggregate(devstack);
  }

  /**
   * One aggregate over every row, asked of the catalog database, where postgres_fdw pushes it down
   * to each shard and adds up their answers, next to the same asked of each shard directly, one
   * after the other, and added up here: the median of {@value #AGGREGATE_RUNS} runs of each.
   */
  private void aggregate(Devstack devstack) throws SQLException {
    String query = "SELECT location, count(*) FROM tweets GROUP BY 1";
    CatalogSnapshot placement = devstack.placement();
    double loadBefore = loadAverage();
    List<Double> throughCatalog = new ArrayList<>();
    List<Double> fromShards = new ArrayList<>();
    try (Connection catalog =
        DriverManager.getConnection(
            Devstack.catalogUrl(devstack.options()), PostgresServer.USER, "")) {
      for (int run = 0; run < AGGREGATE_RUNS; run++) {
        long start = System.nanoTime();
        long catalogRows = countAll(catalog, query);
        throughCatalog.add((System.nanoTime() - start) / 1e6);
        start = System.nanoTime();
        long shardRows = 0;
        for (String shard : placement.shards()) {
          try (Connection c =
              DriverManager.getConnection(
                  placement.shard(shard).orElseThrow().url(), PostgresServer.USER, "")) {
            shardRows += countAll(c, query);
          }
        }
        fromShards.add((System.nanoTime() - start) / 1e6);
        if (catalogRows != shardRows) {
          throw new IllegalStateException(
              "the catalog counted " + catalogRows + " tweets, the shards " + shardRows);
        }
      }
    }
    double median = median(throughCatalog);
    double shardsMedian = median(fromShards);
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "`%s` over %s tweets through the catalog database (postgres_fdw, pushed down),"
                    + " median of %d",
                query,
                count(options.readRows()),
                AGGREGATE_RUNS),
            millis(median),
            "the same query on each shard directly, one after the other, added up here",
            millis(shardsMedian),
            ratio(median / shardsMedian),
            "",
            "",
            load(loadBefore, loadAverage())));
  }

  /** Runs a {@code GROUP BY} whose second column counts rows, and adds the groups up. */
  private static long countAll(Connection c, String query) throws SQLException {
    long total = 0;
    try (Statement s = c.createStatement();
        ResultSet groups = s.executeQuery(query)) {
      while (groups.next()) {
        total += groups.getLong(2);
      }
    }
    return total;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private void readRow(String kind, int rate, int targetMillis, List<String> shared)
      throws IOException, InterruptedException {
    double loadBefore = loadAverage();
    JsonNode http = loadgen.run("reads-" + kind, reads(kind, rate, shared, false), STEP_TIMEOUT);
    JsonNode sql =
        loadgen.run("reads-" + kind + "-sql", reads(kind, rate, shared, true), STEP_TIMEOUT);
    JsonNode httpRun = http.get("run");
    JsonNode sqlRun = sql.get("run");
    double p99 = httpRun.get("latency").get("p99").getDoubleValue();
    double sqlP99 = sqlRun.get("latency").get("p99").getDoubleValue();
    String what =
        kind.equals("routed")
            ? "routed `GET /tweets?owner_id=&location=&limit=50` (one shard)"
            : "merged `GET /tweets?limit=50` (every shard, k-way merge)";
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "%s at %d requests/s over %s tweets and %s files, %d s: p99 (p50)",
                what,
                rate,
                count(options.readRows()),
                count(options.readRows()),
                options.measure().toSeconds()),
            millis(p99)
                + " ("
                + millis(httpRun.get("latency").get("p50").getDoubleValue())
                + ")"
                + failures(httpRun),
            "the same SQL on the shards directly, same rate (JDBC, in parallel per shard)",
            millis(sqlP99)
                + " ("
                + millis(sqlRun.get("latency").get("p50").getDoubleValue())
                + ")"
                + failures(sqlRun),
            ratio(p99 / sqlP99),
            "p99 < " + targetMillis + " ms",
            met(p99 < targetMillis && ok(httpRun)),
            load(loadBefore, loadAverage())));
  }

  private static List<String> reads(String kind, int rate, List<String> shared, boolean sql) {
    List<String> command =
        new ArrayList<>(List.of("reads", "--read", kind, "--rate", Integer.toString(rate)));
    command.addAll(shared);
    if (sql) {
      command.add("--sql");
    }
    return command;
  }

  private void batch(Devstack devstack)
      throws IOException, InterruptedException, SQLException, ExecutionException, TimeoutException {
    double loadBefore = loadAverage();
    KafkaTools.ProducerResult reference =
        kafka.producerPerformance(
            devstack.kafka().bootstrapServers(),
            REFERENCE_TOPIC,
            options.referenceRecords(),
            -1,
            payloads,
            PRODUCER_SETTINGS,
            "kafka-producer-performance-batch");
    JsonNode run =
        loadgen
            .run(
                "batch",
                ingest(
                    "batch",
                    endpoints(devstack),
                    "--batch-size",
                    Integer.toString(BATCH_SIZE),
                    "--concurrency",
                    "8",
                    // Watching applied_offsets would hold every event the writers have not yet
                    // applied, millions here; the suite checks the catch-up itself below.
                    "--verify",
                    "none",
                    "--no-freshness"),
                STEP_TIMEOUT)
            .get("run");
    double rate = run.get("eventsPerSecond").getDoubleValue();
    double loadAfter = loadAverage();
    Duration catchUp = catchUp(devstack);
    rows.add(
        new SuiteRow(
            String.format(
                Locale.ROOT,
                "`POST /tweets/batch` of %s, 8 in flight, %d s, as fast as it goes",
                count(BATCH_SIZE),
                options.measure().toSeconds()),
            count(rate)
                + " events/s, p99 "
                + millis(run.get("latency").get("p99").getDoubleValue())
                + failures(run)
                + String.format(
                    Locale.ROOT,
                    "; every event applied by the writers %d s after the run",
                    catchUp.toSeconds()),
            "Kafka `ProducerPerformance`, "
                + count(options.referenceRecords())
                + " of the same records, unthrottled, acks=all",
            count(reference.recordsPerSecond()) + " records/s",
            ratio(rate / reference.recordsPerSecond()),
            "≥ 60 000 events/s",
            met(rate >= 60_000 && ok(run)),
            load(loadBefore, loadAfter)));
  }

  /** A loadgen ingest command of synthetic tweets on the devstack, warmed up and timed. */
  private List<String> ingest(String figure, List<String> endpoints, String... more) {
    return ingest(figure, endpoints, options.measure(), more);
  }

  /** The same, measured for as long as asked. */
  private List<String> ingest(
      String figure, List<String> endpoints, Duration measure, String... more) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "synthetic",
                "--type",
                "tweet",
                "--seed",
                // loadgen's ids follow from the seed: one seed per figure, so that no figure
                // re-upserts the rows of another.
                Long.toString(options.seed() + figure.hashCode()),
                "--warmup",
                options.warmup().toString(),
                "--duration",
                measure.toString(),
                "--no-progress"));
    command.addAll(endpoints);
    command.addAll(List.of(more));
    if (!command.contains("--verify")) {
      command.addAll(List.of("--verify", "offsets"));
    }
    return command;
  }

  /** The options that point loadgen at the devstack. */
  private static List<String> endpoints(Devstack devstack) {
    DevstackOptions ports = devstack.options();
    List<String> endpoints = new ArrayList<>(ports.topology().arguments());
    endpoints.addAll(
        List.of(
            "--ingest-url",
            "http://127.0.0.1:" + ports.ingestPort(),
            "--query-url",
            "http://127.0.0.1:" + ports.queryPort(),
            "--token",
            token(devstack)));
    return endpoints;
  }

  /** The admin token, as a user passes it: it posts, reads back and reads /stats. */
  private static String token(Devstack devstack) {
    return devstack.auth().orElseThrow().token(Roles.ADMIN);
  }

  /** One line per record, the shape ingest-api produces, for Kafka's tools to send. */
  private void writePayloads() throws IOException {
    EventCodec codec = new EventCodec(JsonMapper.createDefault());
    StringBuilder lines = new StringBuilder();
    for (TweetEvent event : WriterDrainBenchmark.tweets(PAYLOADS, options.seed(), TweetIds.V7)) {
      lines.append(new String(codec.encode(event), StandardCharsets.UTF_8)).append('\n');
    }
    Files.writeString(payloads, lines);
  }

  private DevstackOptions devstackOptions() throws IOException {
    int base = options.basePort();
    for (int port = base; port < base + SuiteOptions.PORTS; port++) {
      FreePort.requireFree(port, "the benchmark suite (--base-port)");
    }
    // The default routing and placement, which seeds the devstack's catalog; from then on the
    // shards and placement come from there.
    return DevstackOptions.builder()
        .serviceJars(ServiceJars.sourceTree(options.home()))
        .dataDir(options.dataDir().resolve("devstack"))
        .clean(true)
        .ports(base)
        .build();
  }

  static boolean ok(JsonNode run) {
    return run.get("requestsFailed").getLongValue() == 0
        && run.get("unfinished").getLongValue() == 0;
  }

  static String failures(JsonNode run) {
    long failed = run.get("requestsFailed").getLongValue() + run.get("unfinished").getLongValue();
    return failed == 0 ? "" : ", " + count(failed) + " requests failed";
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String count(double value) {
    return String.format(Locale.ROOT, "%,.0f", value).replace(',', ' ');
  }

  static String millis(double value) {
    return String.format(Locale.ROOT, "%.1f ms", value);
  }

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  static String met(boolean met) {
    return met ? "yes" : "**no**";
  }

  static String load(double before, double after) {
    return String.format(Locale.ROOT, "%.1f → %.1f", before, after);
  }
}
