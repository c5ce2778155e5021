package dev.shardpipe.bench.suite;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.devstack.Devstack;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.embedded.process.ServiceProcess;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos figure: {@value #EVENTS} events sent at a steady {@value #RATE} events/s while the
 * pipeline is hurt on a schedule: a writer SIGKILLed every {@value #WRITER_KILL_SECONDS} s (the
 * shards in turn), every connection to the shard databases terminated every {@value
 * #CONNECTION_KILL_SECONDS} s ({@code pg_terminate_backend}), ingest-api SIGKILLed once and the
 * Kafka broker restarted once. The devstack restarts what is killed. loadgen retries what fails
 * (refused and reset connections, {@code 503}s) with its events' own ids.
 *
 * <p>Afterwards, once the writers have caught up, the shards must hold every event loadgen saw
 * acknowledged exactly once: the new rows equal the acknowledged events and no id is there twice.
 * Requests loadgen gave up on are reported, not hidden.
 */
final class ChaosFigures {

  static final long EVENTS = 1_000_000;
  static final int RATE = 5_000;
  static final int WRITER_KILL_SECONDS = 10;
  static final int CONNECTION_KILL_SECONDS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(ChaosFigures.class);
  private static final Duration INGEST_KILL_AT = Duration.ofSeconds(45);
  private static final Duration BROKER_RESTART_AT = Duration.ofSeconds(100);
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);

  private final Devstack devstack;
  private final MoveFigures.Suite suite;

  ChaosFigures(Devstack devstack, MoveFigures.Suite suite) {
    this.devstack = devstack;
    this.suite = suite;
  }

  /** Runs the figure and returns its row. */
  SuiteRow run()
      throws IOException, SQLException, InterruptedException, ExecutionException, TimeoutException {
    long rowsBefore = rows().total();
    double loadBefore = BenchSuite.loadAverage();
    AtomicInteger writerKills = new AtomicInteger();
    AtomicInteger connectionKills = new AtomicInteger();
    AtomicReference<String> chaosError = new AtomicReference<>();
    ScheduledExecutorService chaos = Executors.newScheduledThreadPool(1);
    List<String> shards = devstack.placement().shards();
    chaos.scheduleAtFixedRate(
        () ->
            hurt(
                chaosError,
                () -> {
                  String shard = shards.get(writerKills.getAndIncrement() % shards.size());
                  ServiceProcess writer = devstack.writer(shard);
                  if (writer != null && writer.isAlive()) {
                    LOG.info("chaos: SIGKILL writer-{} (pid {})", shard, writer.kill());
                  }
                }),
        WRITER_KILL_SECONDS,
        WRITER_KILL_SECONDS,
        TimeUnit.SECONDS);
    chaos.scheduleAtFixedRate(
        () ->
            hurt(
                chaosError,
                () -> {
                  int terminated = terminateShardConnections();
                  connectionKills.incrementAndGet();
                  LOG.info("chaos: terminated {} connections to the shards", terminated);
                }),
        CONNECTION_KILL_SECONDS,
        CONNECTION_KILL_SECONDS,
        TimeUnit.SECONDS);
    chaos.schedule(
        () ->
            hurt(
                chaosError,
                () -> {
                  for (ServiceProcess service : devstack.services()) {
                    if (service.spec().name().equals("ingest-api")) {
                      LOG.info("chaos: SIGKILL ingest-api (pid {})", service.kill());
                    }
                  }
                }),
        INGEST_KILL_AT.toSeconds(),
        TimeUnit.SECONDS);
    chaos.schedule(
        () ->
            hurt(
                chaosError,
                () -> {
                  LOG.info("chaos: restarting the Kafka broker");
                  devstack.restartKafka();
                }),
        BROKER_RESTART_AT.toSeconds(),
        TimeUnit.SECONDS);
    JsonNode summary;
    try {
      summary =
          suite.loadgen(
              "chaos",
              suite.ingest(
                  "chaos",
                  Duration.ofSeconds(EVENTS / RATE * 2),
                  "--count",
                  Long.toString(EVENTS),
                  "--rate",
                  Integer.toString(RATE),
                  "--batch-size",
                  "100",
                  "--concurrency",
                  "16",
                  "--retries",
                  "30",
                  "--verify",
                  "none",
                  "--no-freshness"),
              STEP_TIMEOUT);
    } finally {
      chaos.shutdownNow();
      chaos.awaitTermination(30, TimeUnit.SECONDS);
    }
    double loadAfter = BenchSuite.loadAverage();
    suite.catchUp();
    Rows after = rows();
    JsonNode run = summary.get("run");
    long acknowledged = run.get("eventsOk").getLongValue();
    long failedRequests = run.get("requestsFailed").getLongValue();
    long added = after.total() - rowsBefore;
    // A request given up on may still have reached Kafka (its answer was lost), so with give-ups
    // the rows may exceed the acknowledged events; without any they must be equal.
    boolean exactlyOnce =
        after.total() == after.distinct()
            && (failedRequests == 0 ? added == acknowledged : added >= acknowledged);
    return new SuiteRow(
        String.format(
            Locale.ROOT,
            "chaos: %s events at %s events/s in batches of 100 while a writer is SIGKILLed every"
                + " %d s (%d times), the shard connections terminated every %d s (%d times),"
                + " ingest-api SIGKILLed once and the broker restarted once",
            BenchSuite.count(EVENTS),
            BenchSuite.count(RATE),
            WRITER_KILL_SECONDS,
            writerKills.get(),
            CONNECTION_KILL_SECONDS,
            connectionKills.get()),
        String.format(
            Locale.ROOT,
            "%s acknowledged, %s new rows, %s ids stored twice; %d requests given up%s%s",
            BenchSuite.count(acknowledged),
            BenchSuite.count(added),
            BenchSuite.count(after.total() - after.distinct()),
            failedRequests,
            failedRequests == 0 ? "" : " (" + run.get("failures") + ")",
            chaosError.get() == null ? "" : "; a chaos step failed: " + chaosError.get()),
        "the same events acknowledged by loadgen",
        BenchSuite.count(acknowledged),
        BenchSuite.ratio(acknowledged == 0 ? 0 : (double) added / acknowledged),
        "every acknowledged event exactly once, 0 requests given up",
        BenchSuite.met(exactlyOnce && failedRequests == 0 && acknowledged == EVENTS),
        BenchSuite.load(loadBefore, loadAfter));
  }

  /** One chaos step; a failure is kept for the report and does not stop the schedule. */
  private static void hurt(AtomicReference<String> error, ChaosStep step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("chaos: a step failed", e);
      error.compareAndSet(null, e.toString());
    }
  }

  /** A chaos step. */
  @FunctionalInterface
  private interface ChaosStep {
    void run() throws Exception;
  }

  private int terminateShardConnections() throws SQLException {
    CatalogSnapshot placement = devstack.placement();
    List<String> databases = new ArrayList<>();
    for (String shard : placement.shards()) {
      databases.add(Devstack.databaseName(shard));
    }
    try (Connection c =
            DriverManager.getConnection(
                devstack.postgres().jdbcUrl("postgres"), PostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet terminated =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = ANY('{"
                    + String.join(",", databases)
                    + "}') AND pid <> pg_backend_pid()")) {
      terminated.next();
      return terminated.getInt(1);
    }
  }

  /** Tweets in every shard, counted on the partitions each one owns now. */
  private record Rows(long total, long distinct) {}

  private Rows rows() throws SQLException {
    CatalogSnapshot placement = devstack.placement();
    long total = 0;
    long distinct = 0;
    for (String shard : placement.shards()) {
      String owned =
          placement.partitionsOf(shard).stream()
              .map(String::valueOf)
              .reduce((a, b) -> a + "," + b)
              .orElse("");
      try (Connection c =
              DriverManager.getConnection(
                  placement.shard(shard).orElseThrow().url(), PostgresServer.USER, "");
          Statement s = c.createStatement();
          ResultSet counts =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT id) FROM tweets WHERE partition = ANY('{"
                      + owned
                      + "}')")) {
        counts.next();
        total += counts.getLong(1);
        distinct += counts.getLong(2);
      }
    }
    return new Rows(total, distinct);
  }
}
