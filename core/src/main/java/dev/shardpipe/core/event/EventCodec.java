package dev.shardpipe.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Converts events to and from the JSON envelope of docs/contract.md §3, the value of every record
 * on the events topic:
 *
 * <pre>{@code
 * {"type":"tweet","op":"upsert","id":"0192f1c4-...","occurred_at":"2026-11-21T10:15:00Z",
 *  "data":{"location":"europe","owner_id":42,"text":"hello","like_count":0}}
 * }</pre>
 *
 * <p>Decoding takes a fast path first: one pass of Jackson's streaming parser over the bytes that
 * accepts only a record it can prove valid by the same rules ({@link FieldRules}, the same
 * constructors). Anything else, including every invalid record, is decoded again through the JSON
 * tree and {@link EventReader}, which name every violation; so both paths return the same event or
 * the same error, and the writer spends about a third of the tree path's time on a valid record.
 *
 * <p>The codec is also Kafka's {@link Serializer} and {@link Deserializer} of {@link Event}, so any
 * Java producer or consumer, Kafka Streams included, names it by class ({@code
 * value.serializer=dev.shardpipe.core.event.EventCodec}) and writes or reads exactly the records
 * the pipeline does (docs/ingest-api.md, "Producing from your own Java code"). It takes no
 * settings.
 *
 * <p>Thread-safe.
 */
@Singleton
public final class EventCodec implements Serializer<Event>, Deserializer<Event> {

  /**
   * Jackson's defaults, as strict as Micronaut's mapper: what this refuses, the tree path judges.
   */
  private static final JsonFactory STREAMING = new JsonFactory();

  private final JsonMapper json;

  /**
   * Creates a codec with Micronaut's default JSON mapper: the constructor Kafka calls when a client
   * names this class in {@code value.serializer} or {@code value.deserializer}.
   */
  public EventCodec() {
    this(JsonMapper.createDefault());
  }

  /**
   * Creates a codec.
   *
   * @param json the JSON mapper (Micronaut serde); {@code JsonMapper.createDefault()} outside a
   *     Micronaut context
   */
  @Inject
  public EventCodec(JsonMapper json) {
    this.json = json;
  }

  /**
   * Takes no settings: the envelope is the same for every topic, key and client.
   *
   * @param configs the client's configuration, not read
   * @param isKey whether the codec serves keys, which it is not meant for but would serve alike
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Nothing to configure: Serializer and Deserializer both declare this default.
  }

  /** Holds nothing to release. */
  @Override
  public void close() {
    // Nothing to close: Serializer and Deserializer both declare this default.
  }

  /**
   * Encodes a record value for Kafka, as {@link #encode}.
   *
   * @param topic the topic, not used: every topic of events has the same envelope
   * @param event the event, or null for a Kafka tombstone
   * @return the UTF-8 JSON envelope, or null for a null event
   */
  @Override
  public byte @Nullable [] serialize(String topic, @Nullable Event event) {
    return event == null ? null : encode(event);
  }

  /**
   * Decodes a record value for Kafka, as {@link #decode}.
   *
   * @param topic the topic, not used
   * @param value the record value
   * @return the event
   * @throws SerializationException when the value is absent, not JSON or not a valid event; its
   *     cause is the {@link InvalidEventException} naming every violation, and a consumer reports
   *     it as a {@code RecordDeserializationException} with the record's partition and offset, so
   *     that the application can seek past the record
   */
  @Override
  public Event deserialize(String topic, byte @Nullable [] value) {
    try {
      return decode(value);
    } catch (InvalidEventException e) {
      throw new SerializationException("not an event of topic " + topic + ": " + e.getMessage(), e);
    }
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
    event
        .type()
        .values(event)
        .forEach(
            (field, value) ->
                data.put(
                    field,
                    value instanceof String text
                        ? JsonNode.createStringNode(text)
                        : JsonNode.createNumberNode((Long) value)));
    Map<String, JsonNode> envelope = new LinkedHashMap<>();
    envelope.put("type", JsonNode.createStringNode(event.type().wireName()));
    envelope.put("op", JsonNode.createStringNode(event.op().wireName()));
    envelope.put("id", JsonNode.createStringNode(event.id().toString()));
    envelope.put("occurred_at", JsonNode.createStringNode(event.occurredAt().toString()));
    envelope.put("data", JsonNode.createObjectNode(data));
    return JsonNode.createObjectNode(envelope);
  }

  /**
   * Decodes a record value.
   *
   * @param value the record value, or null for a Kafka tombstone record
   * @return the event
   * @throws InvalidEventException if the value is absent, not JSON, or breaks a rule of
   *     docs/contract.md §3
   */
  public Event decode(byte @Nullable [] value) throws InvalidEventException {
    if (value == null) {
      throw new InvalidEventException(
          List.of(new Violation("", "record has no value (a Kafka tombstone is not an event)")));
    }
    Event fast = decodeValid(value);
    if (fast != null) {
      return fast;
    }
    JsonNode root;
    try {
      root = json.readValue(value, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEventException(List.of(new Violation("", "is not valid JSON")));
    }
    return EventReader.readEnvelope(root);
  }

  /**
   * The fast path: returns the event when the bytes are certainly a valid envelope, or null when
   * anything is unusual (a parse error, a duplicate or missing field, a value the rules refuse, a
   * time in another form than {@code 2026-11-21T10:15:00[.ffffff](Z|+01:00)}), leaving the verdict
   * to the tree path.
   */
  private static @Nullable Event decodeValid(byte[] value) {
    try (JsonParser parser = STREAMING.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      EventKind kind = null;
      Op op = Op.UPSERT;
      UUID id = null;
      Instant occurredAt = null;
      Map<String, Object> data = null;
      Set<String> seen = new HashSet<>(8);
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken next = parser.nextToken();
        if (!seen.add(field)) {
          return null;
        }
        switch (field) {
          case "type" ->
              kind =
                  next == JsonToken.VALUE_STRING ? EventKind.fromWireName(parser.getText()) : null;
          case "op" ->
              op =
                  next == JsonToken.VALUE_STRING
                      ? Op.fromWireName(parser.getText())
                      : next == JsonToken.VALUE_NULL ? Op.UPSERT : null;
          case "id" -> id = next == JsonToken.VALUE_STRING ? canonicalUuid(parser.getText()) : null;
          case "occurred_at" ->
              occurredAt = next == JsonToken.VALUE_STRING ? rfc3339(parser.getText()) : null;
          case "data" -> data = next == JsonToken.START_OBJECT ? readData(parser) : null;
          default -> parser.skipChildren();
        }
        if (op == null) {
          return null;
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT
          || parser.nextToken() != null
          || kind == null
          || id == null
          || occurredAt == null
          || data == null) {
        return null;
      }
      return validEvent(kind, op, id, occurredAt, data);
    } catch (IOException | RuntimeException e) {
      // Malformed input, or a rule a constructor enforces: the tree path names the problem.
      return null;
    }
  }

  /** The form {@link JsonFields#uuid} accepts, or null. */
  private static @Nullable UUID canonicalUuid(String text) {
    if (text.length() != 36) {
      return null;
    }
    UUID id = UUID.fromString(text);
    return id.toString().equalsIgnoreCase(text) ? id : null;
  }

  /**
   * Parses the common form of an RFC 3339 time, {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction
   * of 1 to 9 digits and {@code Z} or {@code +HH:MM}, to the instant {@link JsonFields#instant}
   * returns for it; null for any other form (lower case, no seconds, ...) or an invalid value.
   */
  private static @Nullable Instant rfc3339(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        nanos = nanos * 10 + (t.charAt(i) - '0');
        i++;
      }
      if (i == start) {
        return null;
      }
      for (int scale = i - start; scale < 9; scale++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offset = ZoneOffset.UTC;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int hours = digits(t, i + 1, i + 3);
      int minutes = digits(t, i + 4, i + 6);
      if (hours < 0 || minutes < 0) {
        return null;
      }
      offset =
          t.charAt(i) == '+'
              ? ZoneOffset.ofHoursMinutes(hours, minutes)
              : ZoneOffset.ofHoursMinutes(-hours, -minutes);
    } else {
      return null;
    }
    if (year < 1 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** A data value of a type no field has: an object, an array, a fraction, a boolean. */
  private static final Object OTHER = new Object();

  /**
   * Reads the {@code data} object the parser is at as raw values: a string as {@link String}, an
   * integer that fits a {@code long} as {@link Long}, JSON {@code null} as absent, anything else as
   * {@link #OTHER}; null when a field is repeated. Which fields count, and their rules, depend on
   * the kind, which may come after {@code data}.
   */
  private static @Nullable Map<String, Object> readData(JsonParser parser) throws IOException {
    Map<String, Object> data = new HashMap<>(8);
    Set<String> seen = new HashSet<>(8);
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken next = parser.nextToken();
      if (!seen.add(field)) {
        return null;
      }
      if (next == JsonToken.VALUE_STRING) {
        data.put(field, parser.getText());
      } else if (next == JsonToken.VALUE_NUMBER_INT
          && (parser.getNumberType() == JsonParser.NumberType.INT
              || parser.getNumberType() == JsonParser.NumberType.LONG)) {
        data.put(field, parser.getLongValue());
      } else if (next != JsonToken.VALUE_NULL) {
        data.put(field, OTHER);
        parser.skipChildren();
      }
    }
    return data;
  }

  /**
   * Builds the event {@link EventReader} builds from the same data; null when a field the op reads
   * is missing, of the wrong type or breaks its rule, so that the tree path names the problem.
   */
  private static @Nullable Event validEvent(
      EventKind kind, Op op, UUID id, Instant occurredAt, Map<String, Object> data) {
    for (EventField field : kind.fields()) {
      if (!field.readIn(op)) {
        continue;
      }
      Object value = data.get(field.name());
      if (value == null) {
        if (field.requiredIn(op)) {
          return null;
        }
      } else if (!(field.type() == EventField.Type.TEXT
              ? value instanceof String
              : value instanceof Long)
          || field.problem(value) != null) {
        return null;
      }
    }
    return kind.event(op, id, occurredAt, data);
  }
}
