package dev.shardpipe.shardctl.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shardpipe.core.event.EventKind;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Map;

/**
 * Writes {@code shardctl status --json}: the shape docs/elasticity.md documents, which scripts and
 * tests read, so fields are never renamed or dropped. Written field by field in a fixed order.
 */
public final class StatusJson {

  private static final JsonFactory JSON = new JsonFactory();

  private StatusJson() {}

  /**
   * Writes a report as one JSON object and a newline.
   *
   * @param report the report
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public static void write(StatusReport report, Writer out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      json.writeNumberField("version", report.version());
      json.writeNumberField("partitions", report.partitions());
      json.writeArrayFieldStart("shards");
      for (ShardStatus shard : report.shards()) {
        json.writeStartObject();
        json.writeStringField("name", shard.name());
        json.writeStringField("url", shard.url());
        json.writeStringField("region", shard.region());
        json.writeStringField("state", shard.state());
        json.writeArrayFieldStart("partitions");
        for (int p : shard.partitions()) {
          json.writeNumber(p);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("rows");
        for (EventKind kind : EventKind.values()) {
          number(json, kind.table(), shard.rows().get(kind));
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeObjectFieldStart("placement");
      for (Map.Entry<Integer, String> entry : report.placement().entrySet()) {
        json.writeStringField(String.valueOf(entry.getKey()), entry.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("moves");
      for (MoveStatus move : report.moves()) {
        json.writeStartObject();
        json.writeNumberField("id", move.id());
        json.writeNumberField("partition", move.partition());
        json.writeStringField("from", move.from());
        json.writeStringField("to", move.to());
        json.writeStringField("state", move.state());
        json.writeNumberField("rows_copied", move.rowsCopied());
        number(json, "lag", move.lag());
        instant(json, "started_at", move.startedAt());
        instant(json, "finished_at", move.finishedAt());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void number(JsonGenerator json, String field, @Nullable Long value)
      throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeNumberField(field, value);
    }
  }

  private static void instant(JsonGenerator json, String field, @Nullable Instant value)
      throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeStringField(field, value.toString());
    }
  }
}
