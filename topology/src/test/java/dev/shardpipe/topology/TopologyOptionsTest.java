package dev.shardpipe.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

class TopologyOptionsTest {

  @Command(name = "tool")
  static final class Tool {
    @Mixin TopologyOptions topology;
  }

  @Command(name = "stack")
  static final class Stack {
    @Mixin RoutingOptions routing;
  }

  private static Topology parse(String... args) {
    Tool tool = new Tool();
    new CommandLine(tool).parseArgs(args);
    return tool.topology.topology();
  }

  @Test
  void withoutOptionsIsTheDevstacksTopology() {
    assertThat(parse())
        .isEqualTo(
            new Topology(
                16,
                "europe=0-7,usa=8-15",
                "jdbc:postgresql://localhost:5433/shardpipe_catalog",
                "postgres",
                "",
                "postgres",
                ""));
    assertThat(parse().routing().partitions()).isEqualTo(16);
  }

  @Test
  void takesEveryOption() {
    Topology topology =
        parse(
            "--partitions", "8",
            "--tweet-locations", "europe=0-3,usa=4-7",
            "--catalog-url", "jdbc:postgresql://db:5432/catalog",
            "--catalog-user", "cat",
            "--catalog-password", "meow",
            "--database-user", "shards",
            "--database-password", "secret");

    assertThat(topology)
        .isEqualTo(
            new Topology(
                8,
                "europe=0-3,usa=4-7",
                "jdbc:postgresql://db:5432/catalog",
                "cat",
                "meow",
                "shards",
                "secret"));
  }

  @Test
  void userAndPasswordAreShardctlsNamesForTheDatabaseLoginWhichTheCatalogSharesByDefault() {
    Topology topology = parse("--user", "admin", "--password", "pw");

    assertThat(topology.databaseUser()).isEqualTo("admin");
    assertThat(topology.databasePassword()).isEqualTo("pw");
    assertThat(topology.catalogUser()).isEqualTo("admin");
    assertThat(topology.catalogPassword()).isEqualTo("pw");
  }

  @Test
  void anEmptyCatalogPasswordOverridesTheDatabasePassword() {
    Topology topology = parse("--password", "pw", "--catalog-password=");

    assertThat(topology.catalogPassword()).isEmpty();
    assertThat(topology.databasePassword()).isEqualTo("pw");
  }

  @Test
  void argumentsParseBackToTheSameTopology() {
    Topology topology =
        new Topology(4, "usa=0-3", "jdbc:postgresql://127.0.0.1:19182/c", "a", "", "b", "x y");

    assertThat(parse(topology.arguments().toArray(String[]::new))).isEqualTo(topology);
  }

  @Test
  void aRangeBeyondThePartitionsIsAUsageErrorNamingBothOptions() {
    assertThatThrownBy(() -> parse("--partitions", "8"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--partitions or --tweet-locations: ");
  }

  @Test
  void aCatalogUrlOtherThanPostgresIsAUsageError() {
    assertThatThrownBy(() -> parse("--catalog-url", "jdbc:mysql://db/catalog"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--catalog-url must be a jdbc:postgresql: URL, was jdbc:mysql://db/catalog");
  }

  @Test
  void theRoutingHalfAloneTakesNoCatalogOption() {
    Stack stack = new Stack();
    CommandLine line = new CommandLine(stack);

    line.parseArgs("--partitions", "4", "--tweet-locations", "usa=0-3");

    assertThat(stack.routing.partitions()).isEqualTo(4);
    assertThat(stack.routing.tweetLocations()).isEqualTo("usa=0-3");
    assertThat(line.getCommandSpec().findOption("--catalog-url")).isNull();
    assertThatThrownBy(() -> new CommandLine(new Stack()).parseArgs("--user", "x"))
        .isInstanceOf(ParameterException.class);
  }

  @Test
  void thePasswordsStayOutOfTheText() {
    Topology topology = parse("--password", "hunter2");

    assertThat(topology.toString()).doesNotContain("hunter2");
  }
}
