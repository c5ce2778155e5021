package dev.shardpipe.shardctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Every command that connects parses the topology with the mixin every tool shares. */
class ConnectionOptionsTest {

  private static CommandLine command(String... path) {
    CommandLine line = new CommandLine(new ShardctlCommand());
    for (String name : path) {
      line = line.getSubcommands().get(name);
    }
    return line;
  }

  private static ConnectionOptions parse(String... args) {
    ParseResult result = new CommandLine(new ShardctlCommand()).parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    Object command = result.commandSpec().userObject();
    return command instanceof SessionCommand session
        ? session.connection
        : ((DlqReplayCommand) command).connection;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "status",
        "add-shard",
        "move",
        "rebalance",
        "drain",
        "remove-shard",
        "resume",
        "abort",
        "dlq replay"
      })
  void everyConnectingCommandTakesTheTopologyOptionsWithTheServicesDefaults(String path) {
    CommandSpec spec = command(path.split(" ")).getCommandSpec();

    Map<String, String> defaults =
        Map.of(
            "--catalog-url", "${env:SHARDPIPE_CATALOG_URL:-" + Topology.DEFAULT_CATALOG_URL + "}",
            "--user", "${env:SHARDPIPE_DATABASE_USER:-postgres}",
            "--password", "${env:SHARDPIPE_DATABASE_PASSWORD:-}",
            "--tweet-locations", "${env:SHARDPIPE_TWEET_LOCATIONS:-europe=0-7,usa=8-15}",
            "--partitions", "${env:SHARDPIPE_PARTITIONS:-16}");
    defaults.forEach(
        (option, value) ->
            assertThat(spec.findOption(option).defaultValueString(false)).isEqualTo(value));
    for (String option : List.of("--catalog-user", "--database-user", "--location-regions")) {
      assertThat(spec.findOption(option)).as(option).isNotNull();
    }
  }

  @Test
  void userAndPasswordAreTheLoginOfTheCatalogAndTheShards() {
    Topology topology =
        parse(
                "status",
                "--user",
                "ops",
                "--password",
                "pw",
                "--catalog-url",
                "jdbc:postgresql://db/c")
            .topology();

    assertThat(topology.catalogUrl()).isEqualTo("jdbc:postgresql://db/c");
    assertThat(topology.catalogUser()).isEqualTo("ops");
    assertThat(topology.catalogPassword()).isEqualTo("pw");
    assertThat(topology.databaseUser()).isEqualTo("ops");
    assertThat(topology.databasePassword()).isEqualTo("pw");
  }

  @Test
  void theCatalogMayHaveALoginOfItsOwn() {
    Topology topology =
        parse("dlq", "replay", "--user", "ops", "--catalog-user", "catalog").topology();

    assertThat(topology.catalogUser()).isEqualTo("catalog");
    assertThat(topology.databaseUser()).isEqualTo("ops");
  }

  @Test
  void aBadTopologyIsAUsageError() {
    int status =
        ShardctlCommand.execute(
            new String[] {"status", "--partitions", "8"},
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));

    assertThat(status).isEqualTo(ShardctlCommand.USAGE);
  }
}
