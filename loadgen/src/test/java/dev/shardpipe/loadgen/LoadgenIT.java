package dev.shardpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.devstack.Devstack;
import dev.shardpipe.devstack.DevstackOptions;
import dev.shardpipe.devstack.ServiceJars;
import dev.shardpipe.loadgen.source.StableIds;
import dev.shardpipe.testing.Sql;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * loadgen as a user runs it, against the devstack of the services' built jars: every run must exit
 * 0 with {@code --verify ids}, and SQL on the shards must find exactly the source's rows, each in
 * one shard.
 */
@Tag("devstack")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadgenIT {

  private static final String[] OFFSETS = {"-08:00", "-05:00", "-03:30", "Z", "+01:00", "+05:30"};
  private static final long SEED = 11;
  private static final int SYNTHETIC = 300;

  @TempDir static Path dir;

  private static Devstack devstack;
  private static Path repository;
  private static final List<UUID> COMMITS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    DevstackOptions options =
        DevstackOptions.builder()
            .serviceJars(ServiceJars.sourceTree(Path.of(System.getProperty("shardpipe.root"))))
            .dataDir(dir.resolve("devstack"))
            .freePorts()
            .build();
    devstack = Devstack.start(options);
    repository = dir.resolve("repository");
    try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
      for (int i = 0; i < 40; i++) {
        String author = "author" + (i % 7) + "@example.org";
        commit(git, "change " + i + " by " + author, OFFSETS[i % OFFSETS.length], author);
      }
      git.branchCreate().setName("feature").call();
      git.checkout().setName("feature").call();
      commit(git, "on a branch", "-07:00", "branch@example.org");
      git.checkout().setName("main").call();
      commit(git, "meanwhile on main", "+02:00", "main@example.org");
      git.merge()
          .include(git.getRepository().resolve("feature"))
          .setFastForward(MergeCommand.FastForwardMode.NO_FF)
          .setCommit(false)
          .call();
      commit(git, "Merge branch 'feature'", "+02:00", "main@example.org");
    }
  }

  @AfterAll
  static void stop() {
    if (devstack != null) {
      devstack.close();
    }
  }

  @Test
  @Order(1)
  void loadsEveryCommitOfAGitHistoryThroughBatchesAndReadsEachBack() throws Exception {
    long before = total("tweets");

    JsonNode summary = run("git", repository.toString(), "--batch-size", "10");

    assertThat(COMMITS).hasSize(43);
    assertThat(rowsWithIds("tweets", COMMITS)).isEqualTo(COMMITS.size());
    assertThat(total("tweets") - before).isEqualTo(COMMITS.size());
    assertThat(summary.get("visibility").get("visible").getLongValue()).isEqualTo(COMMITS.size());
    assertThat(summary.get("freshness").get("count").getLongValue()).isEqualTo(COMMITS.size());
  }

  @Test
  @Order(2)
  void addsNoRowsWhenTheSameHistoryIsLoadedAgain() throws Exception {
    long before = total("tweets");

    run("git", repository.toString());

    assertThat(total("tweets")).isEqualTo(before);
    assertThat(rowsWithIds("tweets", COMMITS)).isEqualTo(COMMITS.size());
  }

  @Test
  @Order(3)
  void loadsEveryRegularFileOfATreeOneRequestPerEvent() throws Exception {
    Path tree = dir.resolve("tree");
    List<UUID> files = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      for (int f = 0; f < 6; f++) {
        Path file = tree.resolve("dir" + d).resolve("file" + f + (f % 2 == 0 ? ".txt" : ".json"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, f % 2 == 0 ? "text " + d + f : "{\"n\":" + f + "}");
        files.add(StableIds.file(file.toRealPath()));
      }
    }
    Files.createSymbolicLink(tree.resolve("link"), tree.resolve("dir0"));
    long before = total("file_metadata");

    JsonNode summary =
        run(
            "files",
            tree.toString(),
            "--batch-size",
            "1",
            "--concurrency",
            "4",
            "--read-your-writes");

    assertThat(rowsWithIds("file_metadata", files)).isEqualTo(files.size());
    assertThat(total("file_metadata") - before).isEqualTo(files.size());
    assertThat(
            summary
                .get("sourceCounts")
                .get("skipped")
                .get("symbolic link (not followed)")
                .getLongValue())
        .isEqualTo(1);
    assertThat(summary.get("run").get("requests").getLongValue()).isEqualTo(files.size());
    JsonNode readYourWrites = summary.get("readYourWrites");
    assertThat(readYourWrites.get("notApplied").getLongValue()).isZero();
    assertThat(readYourWrites.get("failed").getLongValue()).isZero();
    assertThat(
            readYourWrites.get("latency").get("count").getLongValue()
                + readYourWrites.get("skipped").getLongValue())
        .as("every request's last event read back with its token, or skipped")
        .isEqualTo(files.size());
    assertThat(readYourWrites.get("latency").get("count").getLongValue()).isPositive();
  }

  @Test
  @Order(4)
  void loadsSyntheticTweetsWrittenToRandomPartitionsThatTheWritersForward() throws Exception {
    List<UUID> ids =
        LongStream.range(0, SYNTHETIC)
            .mapToObj(n -> StableIds.synthetic(SEED, EventKind.TWEET, n))
            .toList();
    long before = total("tweets");

    JsonNode summary =
        run(
            "synthetic",
            "--count",
            "" + SYNTHETIC,
            "--seed",
            "" + SEED,
            "--sink",
            "kafka",
            "--partition",
            "random",
            "--bootstrap-servers",
            "127.0.0.1:" + devstack.options().kafkaPort());

    assertThat(rowsWithIds("tweets", ids)).isEqualTo(SYNTHETIC);
    assertThat(total("tweets") - before).isEqualTo(SYNTHETIC);
    assertThat(summary.get("freshness")).isNull();
    assertThat(summary.get("freshnessNote").getStringValue()).startsWith("not measured");
  }

  private static JsonNode run(String... args) throws Exception {
    Path summary = Files.createTempFile(dir, "summary", ".json");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--ingest-url",
            "http://127.0.0.1:" + devstack.options().ingestPort(),
            "--query-url",
            "http://127.0.0.1:" + devstack.options().queryPort(),
            // The devstack's catalog names the shards; loadgen finds them there.
            "--catalog-url",
            Devstack.catalogUrl(devstack.options()),
            "--visible-timeout",
            "PT60S",
            "--verify",
            "ids",
            "--no-progress",
            // As a user passes it: an admin token posts, reads back and reads /stats.
            "--token",
            devstack.auth().orElseThrow().token(Roles.ADMIN),
            "--summary-json",
            summary.toString()));

    int status = LoadgenCommand.commandLine().execute(all.toArray(String[]::new));

    assertThat(status).as("exit status of loadgen %s", all).isZero();
    JsonNode json =
        JsonMapper.createDefault().readValue(Files.readAllBytes(summary), JsonNode.class);
    assertThat(json.get("ok").getBooleanValue()).isTrue();
    return json;
  }

  /** Rows with these ids over every shard; each id may be in one shard only. */
  private static long rowsWithIds(String table, List<UUID> ids) {
    String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    long rows = 0;
    for (String shard : devstack.placement().shards()) {
      rows +=
          Sql.number(
              jdbcUrl(shard),
              "SELECT count(*) FROM " + table + " WHERE id = ANY(?::uuid[])",
              array);
    }
    return rows;
  }

  private static long total(String table) {
    long rows = 0;
    for (String shard : devstack.placement().shards()) {
      rows += Sql.number(jdbcUrl(shard), "SELECT count(*) FROM " + table);
    }
    return rows;
  }

  private static String jdbcUrl(String shard) {
    return devstack.postgres().jdbcUrl(Devstack.databaseName(shard));
  }

  private static RevCommit commit(Git git, String subject, String offset, String email)
      throws Exception {
    PersonIdent ident =
        new PersonIdent(
            "Someone", email, Instant.parse("2025-05-01T12:00:00Z"), ZoneOffset.of(offset));
    RevCommit commit =
        git.commit()
            .setMessage(subject)
            .setAuthor(ident)
            .setCommitter(ident)
            .setAllowEmpty(true)
            .setSign(false)
            .call();
    COMMITS.add(StableIds.commit(commit.getName()));
    return commit;
  }
}
