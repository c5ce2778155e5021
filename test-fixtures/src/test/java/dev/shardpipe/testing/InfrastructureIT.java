package dev.shardpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/** The fixture's own operations, on whichever servers this JVM got. */
@ExtendWith(InfrastructureExtension.class)
class InfrastructureIT {

  private static Infrastructure infra;

  @BeforeAll
  static void start(Infrastructure shared) {
    infra = shared;
  }

  @Test
  void runsOnTheServersThePropertyAndDockerAvailabilityChoose() {
    InfrastructureChoice expected =
        InfrastructureChoice.choose(
            System.getProperty(InfrastructureKind.PROPERTY),
            () -> DockerClientFactory.instance().isDockerAvailable());

    assertThat(infra.kind()).isEqualTo(expected.kind());
    assertThat(infra.kafkaBootstrap()).isEqualTo(infra.kafka().bootstrapServers());
  }

  @Test
  void createsATopicOnceAndChecksItsPartitionCount() throws Exception {
    String topic = Infrastructure.uniqueName("fixture_topic");

    assertThat(infra.kafka().ensureTopic(topic, 4)).isTrue();
    assertThat(infra.kafka().ensureTopic(topic, 4)).isFalse();
    assertThatThrownBy(() -> infra.kafka().ensureTopic(topic, 16))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "topic "
                + topic
                + " exists with 4 partitions, expected 16; start clean or change the partition"
                + " count");
    try (Admin admin = infra.kafka().admin()) {
      assertThat(admin.listTopics().names().get()).contains(topic);
      assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(4);
    }
  }

  @Test
  void createsADatabaseOnceAndConnectsAsThePostgresUser() throws Exception {
    String name = Infrastructure.uniqueName("fixture_db");

    String url = infra.createDatabase(name);

    assertThat(url).isEqualTo(infra.postgres().jdbcUrl(name));
    assertThat(Sql.number(url, "SELECT count(*) FROM pg_database WHERE datname = ?", name))
        .isEqualTo(1);
    assertThat(Sql.rows(url, "SELECT current_database() AS db, current_user AS usr"))
        .containsExactly(Map.of("db", name, "usr", TestPostgres.USER));
    assertThat(infra.postgres().createDatabase(name)).isFalse();
  }

  @Test
  void refusesADatabaseNameThatIsNotAPlainIdentifier() {
    assertThatThrownBy(() -> infra.postgres().createDatabase("shard; DROP DATABASE postgres"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "database name \"shard; DROP DATABASE postgres\" must match [a-z_][a-z0-9_]{0,62}");
  }
}
