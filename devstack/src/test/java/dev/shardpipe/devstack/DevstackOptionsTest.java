package dev.shardpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.topology.Topology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DevstackOptionsTest {

  private static final ServiceJars JARS = ServiceJars.in(Path.of("/opt/shardpipe"));

  @Test
  void defaultsAreThoseOfTheDevstackCommandWithoutOptions() {
    DevstackOptions options = DevstackOptions.builder().serviceJars(JARS).build();

    assertThat(options.dataDir()).isEqualTo(Path.of(".devstack").toAbsolutePath());
    assertThat(options.clean()).isFalse();
    assertThat(options.kafkaPort()).isEqualTo(9092);
    assertThat(options.kafkaControllerPort()).isEqualTo(9093);
    assertThat(options.postgresPort()).isEqualTo(5433);
    assertThat(options.ingestPort()).isEqualTo(8080);
    assertThat(options.queryPort()).isEqualTo(8081);
    assertThat(options.writerBasePort()).isEqualTo(8082);
    assertThat(options.partitions()).isEqualTo(16);
    assertThat(options.tweetLocations()).isEqualTo("europe=0-7,usa=8-15");
    assertThat(options.placement()).isEqualTo("eu=0-7,us=8-15");
    assertThat(options.auth()).isTrue();
    assertThat(options.serviceJars()).isEqualTo(JARS);
  }

  @Test
  void withoutJarsGivenFindsTheCheckoutTheseClassesWereBuiltIn() {
    DevstackOptions options = DevstackOptions.builder().build();

    assertThat(options.serviceJars().sourceTree()).isTrue();
    assertThat(options.serviceJars().directory().resolve("devstack")).isDirectory();
  }

  @Test
  void portsFromABaseAreConsecutiveInTheOrderTheSuiteDocuments() {
    DevstackOptions options = DevstackOptions.builder().serviceJars(JARS).ports(19_180).build();

    assertThat(options.kafkaPort()).isEqualTo(19_180);
    assertThat(options.kafkaControllerPort()).isEqualTo(19_181);
    assertThat(options.postgresPort()).isEqualTo(19_182);
    assertThat(options.ingestPort()).isEqualTo(19_183);
    assertThat(options.queryPort()).isEqualTo(19_184);
    assertThat(options.writerBasePort()).isEqualTo(19_185);
  }

  @Test
  void theTopologyIsTheToolsViewOfThisDevstack() {
    DevstackOptions options =
        DevstackOptions.builder()
            .serviceJars(JARS)
            .postgresPort(15_433)
            .partitions(4)
            .tweetLocations("usa=0-3")
            .placement("us=0-3")
            .build();

    assertThat(options.topology())
        .isEqualTo(
            new Topology(
                4,
                "usa=0-3",
                "jdbc:postgresql://127.0.0.1:15433/shardpipe_catalog",
                "postgres",
                "",
                "postgres",
                ""));
  }

  @Test
  void refusesTwoServicesOnOnePort() {
    assertThatThrownBy(() -> DevstackOptions.builder().serviceJars(JARS).queryPort(8080).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every port must differ, 8080 is given twice");
    assertThatThrownBy(
            () -> DevstackOptions.builder().serviceJars(JARS).writerBasePort(5433).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--writer-base-port 5433 is taken by another service's port");
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> DevstackOptions.builder().serviceJars(JARS).kafkaPort(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ports must be 1 to 65535, was 0");
  }

  @Test
  void refusesRoutingAndPlacementThatDoNotFitThePartitions() {
    assertThatThrownBy(() -> DevstackOptions.builder().serviceJars(JARS).partitions(8).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--partitions or --tweet-locations: ");
    assertThatThrownBy(
            () -> DevstackOptions.builder().serviceJars(JARS).placement("eu=0-7").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--placement: ");
  }
}
