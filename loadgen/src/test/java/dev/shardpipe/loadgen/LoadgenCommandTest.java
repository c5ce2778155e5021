package dev.shardpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Option validation: every command below fails before it reaches a server. */
class LoadgenCommandTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine command = LoadgenCommand.commandLine();
    command.setErr(new PrintWriter(err, true));
    command.setOut(new PrintWriter(out, true));
    return command.execute(args);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--batch-size 0 | --batch-size must be 1 to 10000, was 0",
        "--batch-size 10001 | --batch-size must be 1 to 10000, was 10001",
        "--concurrency 0 | --concurrency must be >= 1, was 0",
        "--rate -5 | --rate must be >= 0 events/s, was -5.0",
        "--retries -1 | --retries must be >= 0, was -1",
        "--warmup -PT1S | --warmup must not be negative, was PT-1S",
        "--duration PT0S | --duration must be positive, was PT0S",
        "--freshness-poll PT0S | --freshness-poll must be positive, was PT0S",
        "--visible-timeout -PT1S | --visible-timeout must not be negative, was PT-1S",
        "--catalog-url http://h/db | --catalog-url must be a jdbc:postgresql: URL, was"
            + " http://h/db",
        "--catalog-timeout PT0S | --catalog-timeout must be positive, was PT0S",
        "--ingest-url https://h:8080 | --ingest-url must be an http:// address with a host, was"
            + " https://h:8080",
        "--query-url file:///x | --query-url must be an http:// address with a host, was file:///x",
        "--partition sideways | --partition must be routed, random or a partition number >= 0,"
            + " was sideways",
        "--partitions 8 | --partitions or --tweet-locations:",
        "--verify offsets --no-freshness | --verify offsets watches the shards' applied offsets,"
            + " which --no-freshness turns off",
        "--verify offsets --sink kafka --partition random | --verify offsets needs --partition"
            + " routed",
        "--count 0 | --count must be >= 1, was 0",
        "--owners 0 | --owners must be >= 1, was 0"
      })
  void refusesABadOptionWithAMessageNamingItAndTheUsage(String options, String message) {
    int status = run(("synthetic " + options).split(" "));

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).startsWith(message).contains("Usage: loadgen synthetic");
    assertThat(err.toString()).doesNotContain("\tat dev.shardpipe");
  }

  @Test
  void refusesAnUnknownSinkNamingTheChoices() {
    int status = run("git", ".", "--sink", "pigeon");

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--sink").contains("HTTP, KAFKA");
  }

  @Test
  void refusesADirectoryThatNoGitRepositoryHolds() {
    int status = run("git", dir.toString());

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).startsWith("no git repository holds " + dir);
  }

  @Test
  void refusesFilesOfSomethingThatIsNotADirectory() {
    int status = run("files", dir.resolve("missing").toString());

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("missing");
  }

  @Test
  void acceptsEnumValuesInAnyCase() {
    int status = run("synthetic", "--sink", "Kafka", "--verify", "OFFSETS", "--partition", "3");

    assertThat(err.toString()).startsWith("--verify offsets needs --partition routed");
    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
  }

  @Test
  void listsEveryIngestOptionWithItsDefault() {
    int status = run("git", "--help");

    assertThat(status).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("--batch-size=<batchSize> Events per HTTP request")
        .contains("Default: 500.")
        .contains("--concurrency=<concurrency> Requests in flight at most. Default: 8.")
        .contains("--verify=<verify> ids:")
        .contains("Default: PT5M.")
        .contains("--catalog-url=<catalogUrl> The catalog's JDBC URL")
        .contains("$SHARDPIPE_CATALOG_URL")
        .contains("//localhost:5433/shardpipe_catalog")
        .doesNotContain("--placement")
        .doesNotContain("--database-url-template");
  }

  @ParameterizedTest
  @ValueSource(strings = {"synthetic", "git", "files", "reads"})
  void everyCommandTakesTheTopologyOptionsEveryToolShares(String name) {
    CommandSpec spec = LoadgenCommand.commandLine().getSubcommands().get(name).getCommandSpec();

    assertThat(spec.findOption("--partitions").defaultValueString(false))
        .isEqualTo("${env:SHARDPIPE_PARTITIONS:-16}");
    assertThat(spec.findOption("--tweet-locations").defaultValueString(false))
        .isEqualTo("${env:SHARDPIPE_TWEET_LOCATIONS:-europe=0-7,usa=8-15}");
    assertThat(spec.findOption("--catalog-url").defaultValueString(false))
        .isEqualTo(
            "${env:SHARDPIPE_CATALOG_URL:-jdbc:postgresql://localhost:5433/shardpipe_catalog}");
    assertThat(spec.findOption("--database-user").defaultValueString(false))
        .isEqualTo("${env:SHARDPIPE_DATABASE_USER:-postgres}");
    for (String option :
        List.of(
            "--catalog-user", "--catalog-password", "--database-password", "--catalog-timeout")) {
      assertThat(spec.findOption(option)).as(option).isNotNull();
    }
  }

  @Test
  void refusesABadCatalogUrlOfTheReadsCommandToo() {
    int status = run("reads", "--sql", "--catalog-url", "postgres://h/db");

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .startsWith("--catalog-url must be a jdbc:postgresql: URL, was postgres://h/db");
  }
}
