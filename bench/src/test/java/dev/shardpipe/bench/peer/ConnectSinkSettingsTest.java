package dev.shardpipe.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectSinkSettingsTest {

  private final ConnectSinkSettings settings = ConnectSinkSettings.defaults();

  @Test
  void connectorUpsertsIntoTheExistingTableByItsPrimaryKey() {
    Map<String, String> connector =
        settings.connector(
            "peer",
            "bench.peer.tweets",
            "jdbc:postgresql://127.0.0.1:5433/debezium_peer",
            "postgres",
            "tweets",
            List.of("id", "partition"));

    assertThat(connector)
        .containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
        .containsEntry("topics", "bench.peer.tweets")
        .containsEntry(
            "connection.url",
            "jdbc:postgresql://127.0.0.1:5433/debezium_peer?reWriteBatchedInserts=true")
        .containsEntry("insert.mode", "upsert")
        .containsEntry("primary.key.mode", "record_value")
        .containsEntry("primary.key.fields", "id,partition")
        .containsEntry("schema.evolution", "none")
        .containsEntry("collection.name.format", "tweets")
        .containsEntry("delete.enabled", "false");
  }

  @Test
  void defaultsAreTheTunedOnesTwoTasksAndBatchesOfOneThousand() {
    Map<String, String> connector =
        settings.connector("peer", "t", "jdbc:postgresql://h:1/d", "u", "tweets", List.of("id"));
    Map<String, String> worker =
        settings.worker("127.0.0.1:9092", Path.of("/plugins"), Path.of("/w/offsets"));

    assertThat(connector).containsEntry("tasks.max", "2").containsEntry("batch.size", "1000");
    assertThat(worker)
        .containsEntry("consumer.max.poll.records", "1000")
        .containsEntry("plugin.discovery", "service_load");
  }

  @Test
  void workerReadsStringKeysAndJsonValuesWithSchemas() {
    Map<String, String> worker =
        new ConnectSinkSettings(1, 500, List.of())
            .worker("127.0.0.1:9092", Path.of("/plugins"), Path.of("/w/offsets"));

    assertThat(worker)
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
        .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
        .containsEntry("value.converter.schemas.enable", "true")
        .containsEntry("plugin.path", "/plugins")
        .containsEntry("offset.storage.file.filename", "/w/offsets")
        .containsEntry("consumer.max.poll.records", "500")
        .containsEntry("consumer.auto.offset.reset", "earliest");
  }

  @Test
  void urlWithParametersIsRefusedBecauseTheSettingsAddTheirOwn() {
    assertThatThrownBy(
            () ->
                settings.connector(
                    "p", "t", "jdbc:postgresql://h:1/d?user=x", "u", "tweets", List.of("id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("?user=x");
  }

  @Test
  void badNumbersAreNamed() {
    assertThatThrownBy(() -> new ConnectSinkSettings(0, 1000, List.of()))
        .hasMessage("tasks must be at least 1, was 0");
    assertThatThrownBy(() -> new ConnectSinkSettings(2, 0, List.of()))
        .hasMessage("batch size must be at least 1, was 0");
  }
}
