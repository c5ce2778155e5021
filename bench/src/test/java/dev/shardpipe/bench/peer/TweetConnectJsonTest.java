package dev.shardpipe.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.store.ShardSchema;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class TweetConnectJsonTest {

  private static final UUID ID = UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
  private static final TweetEvent TWEET =
      TweetEvent.upsert(
          ID,
          Instant.parse("2026-11-21T00:00:00.001Z"),
          "europe",
          42,
          "a \"quoted\" Grüße 👋\nwith a newline",
          7);

  @Test
  void aWorkerWithSchemasEnabledReadsBackEveryColumnOfTheRowAsWritten() {
    JsonConverter worker = new JsonConverter();
    worker.configure(Map.of("schemas.enable", true), false);

    SchemaAndValue read = worker.toConnectData("t", new TweetConnectJson().encode("t", TWEET, 5));

    Struct row = (Struct) read.value();
    assertThat(row.getString("id")).isEqualTo(ID.toString());
    assertThat(row.getString("location")).isEqualTo("europe");
    assertThat(row.getInt64("owner_id")).isEqualTo(42L);
    assertThat(row.getString("text")).isEqualTo("a \"quoted\" Grüße 👋\nwith a newline");
    assertThat(row.getInt32("like_count")).isEqualTo(7);
    assertThat(row.getString("occurred_at")).isEqualTo("2026-11-21T00:00:00.001Z");
    assertThat(row.getInt32("partition")).isEqualTo(5);
  }

  @Test
  void idAndOccurredAtCarryDebeziumsNamesSoTheSinkBindsUuidAndTimestamptz() throws Exception {
    JsonNode json =
        JsonMapper.createDefault()
            .readValue(new TweetConnectJson().encode("t", TWEET, 5), JsonNode.class);

    List<String> names = new ArrayList<>();
    json.get("schema").get("fields").values().forEach(f -> names.add(name(f)));
    assertThat(names)
        .containsExactly(
            "id:io.debezium.data.Uuid",
            "location:",
            "owner_id:",
            "text:",
            "like_count:",
            "occurred_at:io.debezium.time.ZonedTimestamp",
            "partition:");
    assertThat(json.get("payload").get("id").getStringValue()).isEqualTo(ID.toString());
  }

  @Test
  void fieldsAreTheShardTableColumnsButTheOneItsDefaultFills() {
    List<String> columns =
        ShardSchema.TWEETS.columnNames().stream().filter(c -> !c.equals("ingested_at")).toList();

    assertThat(TweetConnectJson.SCHEMA.fields().stream().map(Field::name)).isEqualTo(columns);
    assertThat(TweetConnectJson.SCHEMA.fields()).noneMatch(f -> f.schema().isOptional());
  }

  @Test
  void aDeleteHasNoRow() {
    TweetEvent delete = TweetEvent.delete(ID, Instant.EPOCH, "europe", 42);

    assertThatThrownBy(() -> new TweetConnectJson().encode("t", delete, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ID.toString());
  }

  private static String name(JsonNode field) {
    JsonNode name = field.get("name");
    return field.get("field").getStringValue() + ":" + (name == null ? "" : name.getStringValue());
  }
}
