package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.shardctl.ShardctlCommand;
import dev.shardpipe.testing.Sql;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elasticity as a user lives it (docs/elasticity.md), on the devstack of the built jars: under a
 * continuous load over HTTP, a third shard is added, the partitions are rebalanced onto it, moves
 * are interrupted by {@code kill -9} of every component at the step where it matters, and the shard
 * is drained and removed again. Meanwhile a reader walks merged and routed pages without pause.
 * Afterwards every acknowledged event is exactly once on the shard its partition is placed on, no
 * shard holds a row or a child table of a partition it does not own, and {@code /stats} counts
 * every distinct id once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticityIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int EVENTS_PER_SECOND = 2_000;
  private static final Duration MAX_RUN = Duration.ofMinutes(8);

  @TempDir static Path dataDir;

  private static DevstackOptions options;
  private static Devstack devstack;
  private static ElasticLoad load;
  private static PageWalker reader;
  private static FreshnessWatch freshness;
  private static final Set<Integer> MOVED = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startUnderLoad() throws Exception {
    options = TestDevstacks.options(dataDir);
    devstack = Devstack.start(options);
    load =
        ElasticLoad.start(
            "http://127.0.0.1:" + options.ingestPort(),
            devstack.auth().orElseThrow().token(Roles.ADMIN),
            "127.0.0.1:" + options.kafkaPort(),
            EVENTS_PER_SECOND,
            MAX_RUN);
    await().atMost(WAIT).until(() -> load.acknowledged() >= 5_000);
    freshness = FreshnessWatch.start(load, devstack);
    reader =
        PageWalker.start(
            "http://127.0.0.1:" + options.queryPort(),
            devstack.auth().orElseThrow().token(Roles.READ),
            load,
            freshness);
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.close();
    }
    if (freshness != null) {
      freshness.close();
    }
    if (load != null) {
      load.close();
    }
    if (devstack != null) {
      devstack.close();
    }
  }

  @Test
  @Order(1)
  void addsAThirdShardAndRebalancesOntoIt() throws Exception {
    freshness.phase("rebalance");
    assertThat(shardctl("add-shard", "c", "--region", "europe")).isZero();
    await()
        .atMost(WAIT)
        .until(
            () -> devstack.services().stream().anyMatch(s -> s.spec().name().equals("writer-c")));
    devstack.writer("c").awaitHealthy(WAIT);

    assertThat(shardctl("rebalance", "--wait")).isZero();

    CatalogSnapshot after = catalog().load();
    assertThat(after.partitionsOf("c")).hasSize(4);
    assertThat(after.partitionsOf("eu")).hasSize(4);
    assertThat(after.partitionsOf("us")).hasSize(8);
    assertThat(after.activeMoves()).isEmpty();
    MOVED.addAll(after.partitionsOf("c"));
  }

  @Test
  @Order(2)
  void finishesAMoveWhoseShardctlWasKilledWhileCopying() throws Exception {
    freshness.phase("crashes");
    int partition = catalog().load().partitionsOf("c").get(0);
    Process move = shardctlProcess("move", String.valueOf(partition), "--to", "eu", "--wait");
    // Killed as soon as its move is recorded: while it copies, or at the latest while it waits.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> catalog().load().activeMoveOf(partition).isPresent() || !move.isAlive());
    move.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    assertThat(shardctl("resume", "--wait")).isZero();
    assertThat(catalog().load().shardOf(partition)).isEqualTo("eu");
    assertThat(catalog().load().activeMoves()).isEmpty();
  }

  @Test
  @Order(3)
  void finishesAMoveWhoseSourceWriterWasKilledWhileTheTargetCatchesUp() throws Exception {
    int partition = catalog().load().partitionsOf("c").get(0);
    assertThat(shardctl("move", String.valueOf(partition), "--to", "eu")).isZero();
    devstack.writer("c").kill();

    awaitNoMoveOf(partition);
    assertThat(catalog().load().shardOf(partition)).isEqualTo("eu");
  }

  @Test
  @Order(4)
  void finishesAMoveWhoseTargetWriterWasKilledAtCutover() throws Exception {
    int partition = catalog().load().partitionsOf("eu").get(0);
    assertThat(shardctl("move", String.valueOf(partition), "--to", "c")).isZero();
    awaitState(partition, MoveState.CUTOVER);
    devstack.writer("c").kill();

    awaitNoMoveOf(partition);
    assertThat(catalog().load().shardOf(partition)).isEqualTo("c");
  }

  @Test
  @Order(5)
  void finishesAMoveWhoseQueryServiceWasKilledAtCutover() throws Exception {
    int partition = catalog().load().partitionsOf("eu").get(0);
    assertThat(shardctl("move", String.valueOf(partition), "--to", "c")).isZero();
    awaitState(partition, MoveState.CUTOVER);
    ServiceProcess query = service("query-service");
    query.kill();

    awaitNoMoveOf(partition);
    assertThat(catalog().load().shardOf(partition)).isEqualTo("c");
    query.awaitHealthy(WAIT);
  }

  @Test
  @Order(6)
  void drainsAndRemovesTheThirdShard() {
    freshness.phase("drain");
    assertThat(shardctl("drain", "c", "--wait")).isZero();
    assertThat(catalog().load().partitionsOf("c")).isEmpty();
    assertThat(shardctl("remove-shard", "c")).isZero();
    await()
        .atMost(WAIT)
        .until(
            () -> devstack.services().stream().noneMatch(s -> s.spec().name().equals("writer-c")));
  }

  @Test
  @Order(7)
  void keptEveryAcknowledgedEventExactlyOnceOnTheShardThatOwnsItsPartition() throws Exception {
    load.stopSending();
    reader.close();
    freshness.close();
    CatalogSnapshot placement = catalog().load();
    await().atMost(WAIT).until(() -> load.caughtUp(devstack, placement));

    assertThat(load.failures()).as("load requests that failed for good").isEmpty();
    assertThat(reader.problems()).as("what the page walker saw").isEmpty();
    assertThat(reader.pagesRead()).isPositive();

    Map<String, Set<String>> expected = load.idsByTable();
    Map<String, Set<String>> found = new HashMap<>();
    for (String table : List.of("tweets", "file_metadata")) {
      Set<String> all = new HashSet<>();
      for (String shard : List.of("eu", "us", "c")) {
        String url = jdbcUrl(shard);
        Set<Integer> owned = new HashSet<>(ownedBy(placement, shard));
        for (Map<String, Object> row :
            Sql.rows(url, "SELECT id::text AS id, partition FROM " + table)) {
          int partition = (Integer) row.get("partition");
          assertThat(owned)
              .as("%s row %s of partition %d on shard %s", table, row.get("id"), partition, shard)
              .contains(partition);
          assertThat(all.add((String) row.get("id")))
              .as("%s row %s stored once", table, row.get("id"))
              .isTrue();
        }
        Set<Integer> children = new HashSet<>();
        for (Map<String, Object> row :
            Sql.rows(
                url,
                "SELECT substring(c.relname from '_p([0-9]+)$')::int AS p FROM pg_inherits i"
                    + " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class t ON t.oid ="
                    + " i.inhparent WHERE t.relname = ?",
                table)) {
          children.add((Integer) row.get("p"));
        }
        assertThat(owned)
            .as("child tables of %s on shard %s are those of its partitions", table, shard)
            .containsAll(children);
      }
      found.put(table, all);
    }
    assertThat(found.get("tweets")).isEqualTo(expected.get("tweets"));
    assertThat(found.get("file_metadata")).isEqualTo(expected.get("file_metadata"));

    Map<String, Long> totals = load.statsTotals("http://127.0.0.1:" + options.queryPort());
    assertThat(totals.get("tweets")).isEqualTo(expected.get("tweets").size());
    assertThat(totals.get("file_metadata")).isEqualTo(expected.get("file_metadata").size());

    FreshnessWatch.Report report = freshness.report(MOVED, Set.of("rebalance", "drain"));
    System.out.println("elasticity freshness: " + report);
    // The 1 s target is a figure of the bench suite, measured on a quiet machine
    // (docs/benchmarks.md); here the check is that no cutover leaves its partition unreadable for
    // long, whatever else the machine is doing.
    assertThat(report.movingMaxMillis())
        .as("worst freshness of a moving partition, ms, next to the others' p99")
        .isLessThan(report.othersP99Millis() + 10_000);
  }

  private static List<Integer> ownedBy(CatalogSnapshot placement, String shard) {
    return placement.shard(shard).isPresent() ? placement.partitionsOf(shard) : List.of();
  }

  private static Catalog catalog() {
    return devstack.catalog().catalog();
  }

  private static ServiceProcess service(String name) {
    return devstack.services().stream()
        .filter(s -> s.spec().name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitState(int partition, MoveState state) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                catalog()
                    .load()
                    .activeMoveOf(partition)
                    .map(Move::state)
                    .map(s -> s.ordinal() >= state.ordinal())
                    .orElse(true));
  }

  private static void awaitNoMoveOf(int partition) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> catalog().load().activeMoveOf(partition).isEmpty());
    MOVED.add(partition);
  }

  private static String jdbcUrl(String shard) {
    return devstack.postgres().jdbcUrl(Devstack.databaseName(shard));
  }

  private static String[] connection(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--catalog-url=" + Devstack.catalogUrl(options));
    all.add("--bootstrap-servers=127.0.0.1:" + options.kafkaPort());
    return all.toArray(String[]::new);
  }

  /** Runs shardctl in this JVM, as the user's shell would run bin/shardctl. */
  private static int shardctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ShardctlCommand.execute(
            connection(args), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    System.out.println("shardctl " + String.join(" ", args) + " -> " + status);
    System.out.println(out.toString(UTF_8));
    System.out.println(err.toString(UTF_8));
    return status;
  }

  /** Runs shardctl as its own process, so that it can be killed. */
  private static Process shardctlProcess(String... args) throws IOException {
    Path root = Path.of(System.getProperty("shardpipe.root"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(root.resolve("shardctl/target/shardctl.jar").toString());
    command.addAll(List.of(connection(args)));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("shardctl-killed.log").toFile())
        .start();
  }
}
