package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts events to and from the JSON envelope of SPEC 3, the value of every record on the events
 * topic:
 *
 * <pre>{@code
 * {"type":"tweet","op":"upsert","id":"0192f1c4-...","occurred_at":"2026-11-21T10:15:00Z",
 *  "data":{"location":"europe","owner_id":42,"text":"hello","like_count":0}}
 * }</pre>
 *
 * <p>Thread-safe.
 */
@Singleton
public final class EventCodec {

  private final JsonMapper json;

  /**
   * Creates a codec.
   *
   * @param json the JSON mapper (Micronaut serde); {@code JsonMapper.createDefault()} outside a
   *     Micronaut context
   */
  public EventCodec(JsonMapper json) {
    this.json = json;
  }

  /**
   * Encodes an event as UTF-8 JSON. Absent optional fields are left out.
   *
   * @param event the event
   * @return the record value, UTF-8 bytes
   */
  public byte[] encode(Event event) {
    try {
      return json.writeValueAsBytes(toJson(event));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode event " + event.id(), e);
    }
  }

  /**
   * Returns the envelope as a JSON tree.
   *
   * @param event the event
   * @return the envelope object
   */
  public JsonNode toJson(Event event) {
    Map<String, JsonNode> data = new LinkedHashMap<>();
    if (event instanceof TweetEvent tweet) {
      Tweet t = tweet.data();
      data.put("location", JsonNode.createStringNode(t.location()));
      data.put("owner_id", JsonNode.createNumberNode(t.ownerId()));
      if (t.text() != null) {
        data.put("text", JsonNode.createStringNode(t.text()));
        data.put("like_count", JsonNode.createNumberNode(t.likeCount()));
      }
    } else {
      FileMetadata f = ((FileEvent) event).data();
      data.put("user_id", JsonNode.createNumberNode(f.userId()));
      putIfPresent(data, "file_name", f.fileName());
      if (f.sizeBytes() != null) {
        data.put("size_bytes", JsonNode.createNumberNode(f.sizeBytes()));
      }
      putIfPresent(data, "content_type", f.contentType());
    }
    Map<String, JsonNode> envelope = new LinkedHashMap<>();
    envelope.put("type", JsonNode.createStringNode(event.type().wireName()));
    envelope.put("op", JsonNode.createStringNode(event.op().wireName()));
    envelope.put("id", JsonNode.createStringNode(event.id().toString()));
    envelope.put("occurred_at", JsonNode.createStringNode(event.occurredAt().toString()));
    envelope.put("data", JsonNode.createObjectNode(data));
    return JsonNode.createObjectNode(envelope);
  }

  private static void putIfPresent(Map<String, JsonNode> data, String field, @Nullable String v) {
    if (v != null) {
      data.put(field, JsonNode.createStringNode(v));
    }
  }

  /**
   * Decodes a record value.
   *
   * @param value the record value, or null for a Kafka tombstone record
   * @return the event
   * @throws InvalidEventException if the value is absent, not JSON, or breaks a rule of SPEC 3
   */
  public Event decode(byte @Nullable [] value) throws InvalidEventException {
    if (value == null) {
      throw new InvalidEventException(
          List.of(new Violation("", "record has no value (a Kafka tombstone is not an event)")));
    }
    JsonNode root;
    try {
      root = json.readValue(value, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEventException(List.of(new Violation("", "is not valid JSON")));
    }
    return EventReader.readEnvelope(root);
  }
}
