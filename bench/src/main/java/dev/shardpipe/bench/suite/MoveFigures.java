package dev.shardpipe.bench.suite;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.devstack.Devstack;
import dev.shardpipe.devstack.DevstackOptions;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.move.ShardDataSources;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.store.ShardTable;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The move figures (docs/elasticity.md): one partition filled with {@code moveRows} tweets is moved
 * from its shard to a new shard of the same region while loadgen sends tweets to every partition at
 * a fixed rate, through the move protocol's own steps: {@code Catalog.addShard} (the devstack
 * starts the new shard's writer), {@code Catalog.startMove} and {@link MoveSteps#copy}; the writers
 * take it from there (catch-up, cutover, placement switch, drop of the old copy).
 *
 * <ul>
 *   <li>copy rate, next to a plain {@code COPY} of the same rows between the same two shards (the
 *       same binary {@code COPY ... TO STDOUT} streamed into {@code COPY ... FROM STDIN} of the
 *       same child tables, no snapshot, offsets or catalog), measured before the load starts;
 *   <li>total move time, from {@code startMove} until the move is done;
 *   <li>the moving partition's worst freshness over the run, which contains its cutover, next to
 *       the same partition's in a run of the same load without a move;
 *   <li>the other partitions' p99 freshness, next to the same run without a move.
 * </ul>
 */
final class MoveFigures {

  /** The shard the partition moves to; added by the figure, in the source's region: {@value}. */
  static final String TARGET = "c";

  private static final Logger LOG = LoggerFactory.getLogger(MoveFigures.class);
  private static final String TOPIC = PipelineConfiguration.DEFAULT_TOPIC;
  private static final String LOCATION = "europe";
  private static final int BATCH_SIZE = 100;
  private static final int CHUNK = 50_000;
  private static final int OWNERS = 5_000;
  private static final Duration MOVE_AFTER = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration WRITER_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration READER_LIVE_WITHIN = Duration.ofSeconds(10);
  private static final Duration READER_GRACE = Duration.ofSeconds(5);

  /** What the suite lends the figures. */
  interface Suite {

    /** Runs loadgen; see {@link Loadgen#run}. */
    JsonNode loadgen(String name, List<String> arguments, Duration timeout)
        throws IOException, InterruptedException;

    /** A loadgen ingest command of synthetic tweets on the devstack, timed as asked. */
    List<String> ingest(String figure, Duration measure, String... more);

    /** Waits until the writers applied every record of the topic. */
    void catchUp() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private final SuiteOptions options;
  private final Devstack devstack;
  private final CatalogClient catalog;
  private final Suite suite;

  MoveFigures(SuiteOptions options, Devstack devstack, Suite suite) {
    this.options = options;
    this.devstack = devstack;
    this.catalog = devstack.catalog();
    this.suite = suite;
  }

  /**
   * Runs the figures.
   *
   * @return the table's rows
   * @throws IllegalStateException if the new shard gets no writer, or the move does not finish
   */
  List<SuiteRow> run()
      throws IOException, SQLException, InterruptedException, ExecutionException, TimeoutException {
    DevstackOptions stack = devstack.options();
    Routing routing = Routing.of(stack.partitions(), stack.tweetLocations());
    RegionPins pins = RegionPins.of(routing, RegionPins.DEFAULT_LOCATION_REGIONS);
    List<Long> owners = ownersOf(routing, routing.partitionForTweet(LOCATION, 1));
    int partition = routing.partitionForTweet(LOCATION, owners.get(0));
    CatalogSnapshot before = catalog.watcher().refresh();
    Shard from = before.shard(before.shardOf(partition)).orElseThrow();
    Shard to = addTarget(before, from);

    try (ShardDataSources pools =
        new ShardDataSources(PostgresServer.USER, "", Duration.ofSeconds(30))) {
      DataSource source = pools.of(from);
      DataSource target = pools.of(to);
      awaitWriter(to);
      fill(source, from, partition, owners);
      checkpoint();
      Copied reference = plainCopy(source, target, to, partition);
      LOG.info(
          "plain COPY of partition {}: {} rows in {} ms",
          partition,
          reference.rows(),
          reference.took().toMillis());

      suite.catchUp();
      double loadBefore = BenchSuite.loadAverage();
      JsonNode still = suite.loadgen("move-none", load("move-none"), STEP_TIMEOUT);
      double loadStill = BenchSuite.loadAverage();
      suite.catchUp();
      checkpoint();

      MoveSteps steps =
          new MoveSteps(
              catalog.catalog(), pools, TOPIC, READER_LIVE_WITHIN, READER_GRACE, Clock.systemUTC());
      double loadMoveBefore = BenchSuite.loadAverage();
      CompletableFuture<JsonNode> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return suite.loadgen("move", load("move"), STEP_TIMEOUT);
                } catch (IOException e) {
                  throw new CompletionException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new CompletionException(e);
                }
              });
      // loadgen's JVM starts, warms up, then measures: the move starts inside the measured time.
      Thread.sleep(options.warmup().plus(MOVE_AFTER).toMillis());
      Timeline moved = move(steps, pins, partition);
      // Done while loadgen still ran: its freshness figures include the cutover.
      boolean inside = !running.isDone();
      JsonNode moving;
      try {
        moving = running.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("loadgen failed during the move", e.getCause());
      }
      double loadAfter = BenchSuite.loadAverage();
      suite.catchUp();
      return rows(
          partition,
          from,
          reference,
          moved,
          still,
          moving,
          inside,
          BenchSuite.load(loadBefore, loadStill),
          BenchSuite.load(loadMoveBefore, loadAfter));
    }
  }

  /** The tweets' rows copied, and how long it took. */
  private record Copied(long rows, Duration took) {}

  /** When the move reached each state, from its start. */
  private record Timeline(Move move, Duration copy, Map<MoveState, Duration> at) {}

  /** Owners whose European tweets route to the partition of owner 1, {@value #OWNERS} of them. */
  private static List<Long> ownersOf(Routing routing, int partition) {
    List<Long> owners = new ArrayList<>();
    for (long owner = 1; owners.size() < OWNERS; owner++) {
      if (routing.partitionForTweet(LOCATION, owner) == partition) {
        owners.add(owner);
      }
    }
    return owners;
  }

  /** Registers the target shard on the devstack's server; the devstack starts its writer. */
  private Shard addTarget(CatalogSnapshot now, Shard from) {
    String url =
        "jdbc:postgresql://127.0.0.1:"
            + devstack.options().postgresPort()
            + "/"
            + Devstack.databaseName(TARGET);
    return now.shard(TARGET)
        .orElseGet(() -> catalog.catalog().addShard(TARGET, url, from.region(), "bench"));
  }

  /** Waits until the devstack has started the new shard's writer and it is healthy. */
  private void awaitWriter(Shard shard) throws InterruptedException {
    long deadline = System.nanoTime() + WRITER_TIMEOUT.toNanos();
    ServiceProcess writer;
    while ((writer = devstack.writer(shard.name())) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "shard "
                + shard.name()
                + " was added to the catalog but the devstack started no writer for it within "
                + WRITER_TIMEOUT);
      }
      Thread.sleep(200);
    }
    writer.awaitHealthy(WRITER_TIMEOUT);
  }

  /**
   * Empties the partition on its shard and loads {@code moveRows} tweets into it with {@code COPY},
   * so that it holds exactly those; then {@code VACUUM ANALYZE}, so that both copies read the same
   * settled pages.
   */
  private void fill(DataSource source, Shard from, int partition, List<Long> owners)
      throws SQLException, IOException {
    LOG.info(
        "loading {} tweets into partition {} on {}", options.moveRows(), partition, from.name());
    new ShardStore(source, from.name(), TOPIC).ensurePartitions(List.of(partition));
    EventGenerator tweets =
        CopyRows.generator(
            options.seed(), owners.size(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try (Connection c = DriverManager.getConnection(from.url(), PostgresServer.USER, "")) {
      try (Statement s = c.createStatement()) {
        for (ShardTable table : ShardSchema.all()) {
          s.execute("TRUNCATE " + table.childName(partition));
        }
      }
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder rows = new StringBuilder();
      for (long i = 0; i < options.moveRows(); i++) {
        CopyRows.tweet(
            rows, tweets.tweet(LOCATION, owners.get((int) (i % owners.size()))), partition);
        if ((i + 1) % CHUNK == 0 || i == options.moveRows() - 1) {
          copy.copyIn(ReadData.copyIn(ShardSchema.TWEETS), new StringReader(rows.toString()));
          rows.setLength(0);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE " + ShardSchema.TWEETS.childName(partition));
      }
    }
  }

  /**
   * The reference: every table's rows of the partition streamed from the source with {@code COPY
   * ... TO STDOUT (FORMAT binary)} into {@code COPY ... FROM STDIN (FORMAT binary)} of the same
   * child tables on the target, as the move does, one commit per table and nothing else; then the
   * target's copy is dropped again.
   */
  private static Copied plainCopy(DataSource source, DataSource target, Shard to, int partition)
      throws SQLException, InterruptedException {
    ShardStore targetStore = new ShardStore(target, to.name(), TOPIC);
    targetStore.ensurePartitions(List.of(partition));
    long rows = 0;
    long started = System.nanoTime();
    try (Connection out = source.getConnection();
        Connection in = target.getConnection()) {
      CopyManager reading = out.unwrap(PGConnection.class).getCopyAPI();
      CopyManager writing = in.unwrap(PGConnection.class).getCopyAPI();
      for (ShardTable table : ShardSchema.all()) {
        String child = table.childName(partition);
        CopyOut from =
            reading.copyOut(
                "COPY (SELECT "
                    + table.columnList()
                    + " FROM "
                    + child
                    + ") TO STDOUT (FORMAT binary)");
        CopyIn into =
            writing.copyIn(
                "COPY " + child + " (" + table.columnList() + ") FROM STDIN (FORMAT binary)");
        byte[] data;
        while ((data = from.readFromCopy()) != null) {
          into.writeToCopy(data, 0, data.length);
        }
        rows += into.endCopy();
        in.commit();
        out.commit();
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    targetStore.dropPartition(partition);
    return new Copied(rows, took);
  }

  /** Starts the move, copies, and follows it until done; the writers do every step after copy. */
  private Timeline move(MoveSteps steps, RegionPins pins, int partition)
      throws SQLException, InterruptedException {
    long started = System.nanoTime();
    Move move = catalog.catalog().startMove(partition, TARGET, pins, false, "bench");
    LOG.info("move {}: partition {} {} -> {}", move.id(), partition, move.from(), move.to());
    Move copied = steps.copy(move);
    Duration copy = Duration.ofNanos(System.nanoTime() - started);
    Map<MoveState, Duration> at = new EnumMap<>(MoveState.class);
    at.put(copied.state(), copy);
    long deadline = started + MOVE_TIMEOUT.toNanos();
    Move now = copied;
    while (now.state() != MoveState.DONE) {
      if (now.state() == MoveState.ABORTED || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "move "
                + move.id()
                + " is "
                + now.state().label()
                + " after "
                + MOVE_TIMEOUT
                + (now.error() == null ? "" : ": " + now.error()));
      }
      Thread.sleep(POLL.toMillis());
      now = catalog.catalog().move(move.id()).orElseThrow();
      at.putIfAbsent(now.state(), Duration.ofNanos(System.nanoTime() - started));
    }
    LOG.info("move {}: states reached after {}", move.id(), at);
    return new Timeline(copied, copy, at);
  }

  private List<String> load(String figure) {
    return suite.ingest(
        figure,
        options.moveMeasure(),
        "--batch-size",
        Integer.toString(BATCH_SIZE),
        "--rate",
        Integer.toString(options.moveRate()),
        "--concurrency",
        "32");
  }

  private List<SuiteRow> rows(
      int partition,
      Shard from,
      Copied reference,
      Timeline moved,
      JsonNode still,
      JsonNode moving,
      boolean inside,
      String loadStill,
      String loadMoving) {
    double copyRate = moved.move().rowsCopied() / seconds(moved.copy());
    double referenceRate = reference.rows() / seconds(reference.took());
    String what =
        String.format(
            Locale.ROOT,
            "move of partition %d (%s rows) %s → %s while loadgen sends %s events/s (batches of"
                + " %d, %d s)",
            partition,
            BenchSuite.count(moved.move().rowsCopied()),
            from.name(),
            TARGET,
            BenchSuite.count(options.moveRate()),
            BATCH_SIZE,
            options.moveMeasure().toSeconds());
    List<SuiteRow> rows = new ArrayList<>();
    rows.add(
        new SuiteRow(
            what + ": copy rate (`MoveSteps.copy`)",
            BenchSuite.count(copyRate) + " rows/s (" + secs(moved.copy()) + ")",
            "plain binary `COPY` of the same rows between the same shards, before the load",
            BenchSuite.count(referenceRate) + " rows/s (" + secs(reference.took()) + ")",
            BenchSuite.ratio(copyRate / referenceRate),
            "≥ 0.5",
            BenchSuite.met(copyRate >= 0.5 * referenceRate),
            loadMoving));
    Duration total = moved.at().get(MoveState.DONE);
    Duration cutover = moved.at().getOrDefault(MoveState.CUTOVER, total);
    Duration cleaning = moved.at().getOrDefault(MoveState.CLEANING, total);
    rows.add(
        new SuiteRow(
            "the same move: total time, start to done (copy, catch-up, cutover at "
                + String.format(Locale.ROOT, "%.1f", seconds(cutover))
                + " s, placement switched at "
                + String.format(Locale.ROOT, "%.1f", seconds(cleaning))
                + " s, then 5 s of reader grace and the drop)"
                + (inside ? "" : "; the move ended after loadgen's run"),
            secs(total),
            "its copy alone (above)",
            secs(moved.copy()),
            BenchSuite.ratio(seconds(total) / seconds(moved.copy())),
            "",
            "",
            loadMoving));
    JsonNode movingPartition = byPartition(moving).get(Integer.toString(partition));
    JsonNode stillPartition = byPartition(still).get(Integer.toString(partition));
    double worst = movingPartition.get("max").getDoubleValue();
    rows.add(
        new SuiteRow(
            "the moving partition's worst freshness over the run, cutover included: max (p99)",
            BenchSuite.millis(worst)
                + " ("
                + BenchSuite.millis(movingPartition.get("p99").getDoubleValue())
                + ")"
                + BenchSuite.failures(moving.get("run")),
            "the same partition, same load, no move: max (p99)",
            BenchSuite.millis(stillPartition.get("max").getDoubleValue())
                + " ("
                + BenchSuite.millis(stillPartition.get("p99").getDoubleValue())
                + ")",
            BenchSuite.ratio(worst / Math.max(stillPartition.get("max").getDoubleValue(), 1)),
            "< 1 s",
            BenchSuite.met(worst < 1000 && inside && BenchSuite.ok(moving.get("run"))),
            loadMoving));
    Others movingOthers = others(moving, partition);
    Others stillOthers = others(still, partition);
    rows.add(
        new SuiteRow(
            "the other partitions' freshness during the move: p99, worst partition (median"
                + " partition)",
            BenchSuite.millis(movingOthers.worst())
                + " ("
                + BenchSuite.millis(movingOthers.median())
                + ")",
            "the same, same load, no move",
            BenchSuite.millis(stillOthers.worst())
                + " ("
                + BenchSuite.millis(stillOthers.median())
                + ")"
                + BenchSuite.failures(still.get("run")),
            BenchSuite.ratio(movingOthers.worst() / Math.max(stillOthers.worst(), 1)),
            "",
            "",
            loadStill + " / " + loadMoving));
    return rows;
  }

  /** The p99 of the partitions other than the moving one: the worst and the median. */
  private record Others(double worst, double median) {}

  private static Others others(JsonNode summary, int moving) {
    List<Double> p99 = new ArrayList<>();
    for (Map.Entry<String, JsonNode> partition : byPartition(summary).entries()) {
      if (!partition.getKey().equals(Integer.toString(moving))) {
        p99.add(partition.getValue().get("p99").getDoubleValue());
      }
    }
    if (p99.isEmpty()) {
      return new Others(0, 0);
    }
    p99.sort(null);
    return new Others(p99.get(p99.size() - 1), p99.get(p99.size() / 2));
  }

  private static JsonNode byPartition(JsonNode summary) {
    JsonNode node = summary.get("freshnessByPartition");
    if (node == null || node.size() == 0) {
      throw new IllegalStateException(
          "loadgen measured no freshness: " + summary.get("freshnessNote"));
    }
    return node;
  }

  private void checkpoint() throws SQLException {
    try (Connection c = DriverManager.getConnection(devstack.postgres().jdbcUrl("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String secs(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", seconds(d));
  }
}
