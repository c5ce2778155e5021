package dev.shardpipe.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Converts events to and from the JSON envelope of SPEC 3, the value of every record on the events
 * topic:
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
 * <p>Thread-safe.
 */
@Singleton
public final class EventCodec {

  /**
   * Jackson's defaults, as strict as Micronaut's mapper: what this refuses, the tree path judges.
   */
  private static final JsonFactory STREAMING = new JsonFactory();

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
      EventType type = null;
      Op op = Op.UPSERT;
      UUID id = null;
      Instant occurredAt = null;
      Data data = null;
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
              type =
                  next == JsonToken.VALUE_STRING ? EventType.fromWireName(parser.getText()) : null;
          case "op" ->
              op =
                  next == JsonToken.VALUE_STRING
                      ? Op.fromWireName(parser.getText())
                      : next == JsonToken.VALUE_NULL ? Op.UPSERT : null;
          case "id" -> id = next == JsonToken.VALUE_STRING ? canonicalUuid(parser.getText()) : null;
          case "occurred_at" ->
              occurredAt = next == JsonToken.VALUE_STRING ? rfc3339(parser.getText()) : null;
          case "data" -> data = next == JsonToken.START_OBJECT ? Data.read(parser) : null;
          default -> parser.skipChildren();
        }
        if (op == null) {
          return null;
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT
          || parser.nextToken() != null
          || type == null
          || id == null
          || occurredAt == null
          || data == null) {
        return null;
      }
      return type == EventType.TWEET
          ? data.tweet(op, id, occurredAt)
          : data.file(op, id, occurredAt);
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

  /**
   * The {@code data} object's fields as the fast path reads them. A field that is present but
   * breaks its rule makes the whole record go to the tree path, except {@code text} and {@code
   * file_name}, which {@link EventReader} does not read in a delete.
   */
  private static final class Data {
    private @Nullable String location;
    private @Nullable Long ownerId;
    private @Nullable String text;
    private @Nullable Long likeCount;
    private @Nullable Long userId;
    private @Nullable String fileName;
    private @Nullable Long sizeBytes;
    private @Nullable String contentType;

    /** Reads the object the parser is at; null when a field is repeated or breaks its rule. */
    static @Nullable Data read(JsonParser parser) throws IOException {
      Data data = new Data();
      Set<String> seen = new HashSet<>(8);
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken next = parser.nextToken();
        if (!seen.add(field)) {
          return null;
        }
        boolean absent = next == JsonToken.VALUE_NULL;
        boolean valid =
            switch (field) {
              case "location" ->
                  absent || (data.location = text(parser, next, Tweet.LOCATION_MAX_LENGTH)) != null;
              case "owner_id" ->
                  absent || (data.ownerId = count(parser, next, Long.MAX_VALUE)) != null;
              case "like_count" ->
                  absent || (data.likeCount = count(parser, next, Integer.MAX_VALUE)) != null;
              case "user_id" ->
                  absent || (data.userId = count(parser, next, Long.MAX_VALUE)) != null;
              case "size_bytes" ->
                  absent || (data.sizeBytes = count(parser, next, Long.MAX_VALUE)) != null;
              case "content_type" ->
                  absent
                      || (data.contentType =
                              text(parser, next, FileMetadata.CONTENT_TYPE_MAX_LENGTH))
                          != null;
              case "text" -> {
                data.text = text(parser, next, Tweet.TEXT_MAX_LENGTH);
                parser.skipChildren();
                yield true;
              }
              case "file_name" -> {
                data.fileName = text(parser, next, FileMetadata.FILE_NAME_MAX_LENGTH);
                parser.skipChildren();
                yield true;
              }
              default -> {
                parser.skipChildren();
                yield true;
              }
            };
        if (!valid) {
          return null;
        }
      }
      return data;
    }

    /** Builds the tweet {@link EventReader} builds; null when a required field is missing. */
    @Nullable
    Event tweet(Op op, UUID id, Instant occurredAt) {
      if (location == null || ownerId == null || (op == Op.UPSERT && text == null)) {
        return null;
      }
      return new TweetEvent(
          op,
          id,
          occurredAt,
          new Tweet(
              location,
              ownerId,
              op == Op.UPSERT ? text : null,
              likeCount == null ? 0 : likeCount.intValue()));
    }

    /** Builds the file {@link EventReader} builds; null when a required field is missing. */
    @Nullable
    Event file(Op op, UUID id, Instant occurredAt) {
      if (userId == null || (op == Op.UPSERT && fileName == null)) {
        return null;
      }
      return new FileEvent(
          op,
          id,
          occurredAt,
          new FileMetadata(userId, op == Op.UPSERT ? fileName : null, sizeBytes, contentType));
    }
  }

  /** A text field's value if it is a string the rule accepts; null otherwise. */
  private static @Nullable String text(JsonParser parser, JsonToken token, int maxLength)
      throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      return null;
    }
    String value = parser.getText();
    return FieldRules.text(value, maxLength) == null ? value : null;
  }

  /** An integer field's value if it is an integer in {@code 0..max}; null otherwise. */
  private static @Nullable Long count(JsonParser parser, JsonToken token, long max)
      throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      return null;
    }
    JsonParser.NumberType numberType = parser.getNumberType();
    if (numberType != JsonParser.NumberType.INT && numberType != JsonParser.NumberType.LONG) {
      return null;
    }
    long value = parser.getLongValue();
    return value >= 0 && value <= max ? value : null;
  }
}
