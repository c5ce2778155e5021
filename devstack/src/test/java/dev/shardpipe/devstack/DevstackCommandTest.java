package dev.shardpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class DevstackCommandTest {

  private static DevstackOptions parse(String... args) {
    DevstackCommand command = new DevstackCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  void takesTheRoutingOptionsOfTheToolsAndItsOwnPlacement() {
    DevstackOptions options =
        parse(
            "--partitions",
            "8",
            "--tweet-locations",
            "europe=0-3,usa=4-7",
            "--placement",
            "eu=0-7",
            "--postgres-port",
            "15433",
            "--data-dir",
            "/tmp/stack",
            "--clean",
            "--no-auth");

    assertThat(options.partitions()).isEqualTo(8);
    assertThat(options.tweetLocations()).isEqualTo("europe=0-3,usa=4-7");
    assertThat(options.placement()).isEqualTo("eu=0-7");
    assertThat(options.topology().catalogUrl())
        .isEqualTo("jdbc:postgresql://127.0.0.1:15433/shardpipe_catalog");
    assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/stack"));
    assertThat(options.clean()).isTrue();
    assertThat(options.auth()).isFalse();
  }

  @Test
  void withoutOptionsRunsTheDefaultsFromTheCheckout() {
    DevstackOptions options = parse();

    assertThat(options.kafkaPort()).isEqualTo(DevstackOptions.DEFAULT_KAFKA_PORT);
    assertThat(options.partitions()).isEqualTo(16);
    assertThat(options.serviceJars().sourceTree()).isTrue();
  }

  @Test
  void serviceJarsAndHomeNameTheTwoLayouts() {
    assertThat(parse("--service-jars", "/opt/shardpipe").serviceJars())
        .isEqualTo(ServiceJars.in(Path.of("/opt/shardpipe")));
    assertThat(parse("--home", "/src/shardpipe").serviceJars())
        .isEqualTo(ServiceJars.sourceTree(Path.of("/src/shardpipe")));
    assertThatThrownBy(() -> parse("--home", "/a", "--service-jars", "/b"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--home and --service-jars exclude each other");
  }

  @Test
  void aPlacementBeyondThePartitionsIsAUsageError() {
    assertThatThrownBy(() -> parse("--partitions", "8", "--tweet-locations", "usa=0-7"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--placement: ");
  }

  @Test
  void takesNoCatalogOptionItRunsTheCatalogItself() {
    assertThatThrownBy(() -> parse("--catalog-url", "jdbc:postgresql://db/c"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--catalog-url");
  }

  @Test
  void theShardctlLineNamesOnlyPortsThatDifferFromTheDefaults() {
    assertThat(DevstackCommand.shardctlLine(parse())).isEqualTo("bin/shardctl status");
    assertThat(DevstackCommand.shardctlLine(parse("--postgres-port", "15433")))
        .isEqualTo(
            "bin/shardctl status --catalog-url"
                + " jdbc:postgresql://127.0.0.1:15433/shardpipe_catalog");
  }
}
