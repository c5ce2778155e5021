package dev.shardpipe.core.event;

import dev.shardpipe.core.event.EventField.Presence;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An event kind as data: its wire name, its collection's URL segment, its table and tombstone
 * table, the fields of its {@code data} with their rules, and which of them form the shard key. The
 * envelope codec, the readers of request bodies, ingest-api's publish path, the shard writer's
 * statements and query-service's reads all work from a kind, so a new kind is one constant here
 * plus its table's migration (docs/development.md, "Adding an event kind").
 *
 * <p>A kind declared with only its names, tables and fields has no Java type of its own: its events
 * are {@link DataEvent}s, which carry the data as a map. {@link #TWEET} and {@link #FILE} also have
 * typed records ({@link TweetEvent}, {@link FileEvent}), which {@link #event} builds; every layer
 * reads an event's data through {@link #values}, which accepts both forms.
 *
 * <p>The shard key is the key fields' values joined by {@code /} in declaration order, the record
 * key on the topic: {@code europe/42} for a tweet, {@code 42} for a file. When the first key field
 * is text, it is a location that picks the partition range ({@code shardpipe.tweet-locations}) and
 * the last, an integer, spreads keys over the range; a kind whose only key field is an integer is
 * spread over every partition (docs/architecture.md).
 */
public enum EventKind {
  /** A tweet, in {@code tweets}, keyed by {@code location/owner_id}. */
  TWEET(
      "tweet",
      "tweets",
      "tweets",
      "tweet_tombstones",
      List.of(
          EventField.text("location", Tweet.LOCATION_MAX_LENGTH, Presence.ALWAYS),
          EventField.integer("owner_id", Long.MAX_VALUE, Presence.ALWAYS),
          EventField.text("text", Tweet.TEXT_MAX_LENGTH, Presence.UPSERT),
          EventField.integer("like_count", Integer.MAX_VALUE, Presence.OPTIONAL)),
      (op, id, at, v) ->
          new TweetEvent(
              op,
              id,
              at,
              new Tweet(
                  (String) v.get("location"),
                  (Long) v.get("owner_id"),
                  (String) v.get("text"),
                  ((Long) v.getOrDefault("like_count", 0L)).intValue())),
      event -> {
        Tweet t = ((TweetEvent) event).data();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("location", t.location());
        v.put("owner_id", t.ownerId());
        // A delete carries only its shard key; like_count goes with the text it counts.
        if (t.text() != null) {
          v.put("text", t.text());
          v.put("like_count", (long) t.likeCount());
        }
        return v;
      }),

  /** File metadata, in {@code file_metadata}, keyed by {@code user_id}. */
  FILE(
      "file",
      "files",
      "file_metadata",
      "file_metadata_tombstones",
      List.of(
          EventField.integer("user_id", Long.MAX_VALUE, Presence.ALWAYS),
          EventField.text("file_name", FileMetadata.FILE_NAME_MAX_LENGTH, Presence.UPSERT),
          EventField.integer("size_bytes", Long.MAX_VALUE, Presence.OPTIONAL),
          EventField.text("content_type", FileMetadata.CONTENT_TYPE_MAX_LENGTH, Presence.OPTIONAL)),
      (op, id, at, v) ->
          new FileEvent(
              op,
              id,
              at,
              new FileMetadata(
                  (Long) v.get("user_id"),
                  (String) v.get("file_name"),
                  (Long) v.get("size_bytes"),
                  (String) v.get("content_type"))),
      event -> {
        FileMetadata f = ((FileEvent) event).data();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("user_id", f.userId());
        v.put("file_name", f.fileName());
        v.put("size_bytes", f.sizeBytes());
        v.put("content_type", f.contentType());
        v.values().removeIf(Objects::isNull);
        return v;
      });

  /**
   * Builds the typed event of a kind from its envelope fields and its checked data values, for a
   * kind with a Java record of its own.
   */
  @FunctionalInterface
  interface Factory {
    Event create(Op op, UUID id, Instant occurredAt, Map<String, Object> values);
  }

  private static final String WIRE_NAMES =
      Arrays.stream(values())
          .map(k -> "\"" + k.wireName() + "\"")
          .collect(Collectors.joining(" or "));

  private final String wireName;
  private final String collection;
  private final String table;
  private final String tombstoneTable;
  private final List<EventField> fields;
  private final Map<String, EventField> byName;
  private final List<EventField> key;
  private final @Nullable Factory factory;
  private final @Nullable Function<Event, Map<String, Object>> values;

  /** A kind whose events are {@link DataEvent}s. */
  EventKind(
      String wireName,
      String collection,
      String table,
      String tombstoneTable,
      List<EventField> fields) {
    this(wireName, collection, table, tombstoneTable, fields, null, null);
  }

  /**
   * A kind with a typed record, built from its values by {@code factory} and read by {@code
   * values}.
   */
  EventKind(
      String wireName,
      String collection,
      String table,
      String tombstoneTable,
      List<EventField> fields,
      @Nullable Factory factory,
      @Nullable Function<Event, Map<String, Object>> values) {
    this.wireName = wireName;
    this.collection = collection;
    this.table = table;
    this.tombstoneTable = tombstoneTable;
    this.fields = fields;
    this.byName = new LinkedHashMap<>();
    fields.forEach(f -> byName.put(f.name(), f));
    this.key = fields.stream().filter(f -> f.presence() == Presence.ALWAYS).toList();
    this.factory = factory;
    this.values = values;
  }

  /**
   * Looks a kind up by its wire name.
   *
   * @param name such as {@code tweet}, case-sensitive
   * @return the kind, or null when no kind has that name
   */
  public static @Nullable EventKind fromWireName(String name) {
    for (EventKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    return null;
  }

  /**
   * Returns every wire name, for a message that lists what is allowed.
   *
   * @return such as {@code "tweet" or "file"}, quoted
   */
  public static String wireNames() {
    return WIRE_NAMES;
  }

  /**
   * Returns the name on the wire, in the envelope's {@code type} and the metrics' tags.
   *
   * @return such as {@code tweet}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Returns the URL segment of the kind's collection on both HTTP services.
   *
   * @return such as {@code tweets}, as in {@code POST /tweets} and {@code GET /tweets/{id}}
   */
  public String collection() {
    return collection;
  }

  /**
   * Returns the shard table its rows are written to and read from (docs/architecture.md).
   *
   * @return such as {@code tweets} or {@code file_metadata}
   */
  public String table() {
    return table;
  }

  /**
   * Returns the table that records its deletes, so that an older upsert delivered after a delete
   * does not bring the row back (docs/architecture.md).
   *
   * @return such as {@code tweet_tombstones} or {@code file_metadata_tombstones}
   */
  public String tombstoneTable() {
    return tombstoneTable;
  }

  /**
   * Returns the fields of {@code data}, in wire order.
   *
   * @return the fields; a table column of the same name holds each
   */
  public List<EventField> fields() {
    return fields;
  }

  /**
   * Returns one field.
   *
   * @param name its wire name
   * @return the field, or null when the kind has none of that name
   */
  public @Nullable EventField field(String name) {
    return byName.get(name);
  }

  /**
   * Returns the fields of the shard key, in the order the record key joins them.
   *
   * @return one or more fields, each required in every event
   */
  public List<EventField> keyFields() {
    return key;
  }

  /**
   * Returns the shard key of an event of this kind with these key values: the record key.
   *
   * @param values at least every key field's value, by wire name
   * @return the values of {@link #keyFields()} joined by {@code /}, such as {@code europe/42}
   * @throws IllegalArgumentException if a key value is absent
   */
  public String shardKey(Map<String, ?> values) {
    StringBuilder text = new StringBuilder();
    for (EventField field : key) {
      Object value = values.get(field.name());
      if (value == null) {
        throw new IllegalArgumentException(field.name() + ": is required to route");
      }
      text.append(text.length() == 0 ? "" : "/").append(value);
    }
    return text.toString();
  }

  /**
   * Builds an event of this kind: its typed record when it has one ({@link TweetEvent}, {@link
   * FileEvent}), a {@link DataEvent} otherwise.
   *
   * @param op upsert or delete
   * @param id the row's id
   * @param occurredAt when it happened
   * @param values the data fields by wire name: {@link String} for text, {@link Long} for integers;
   *     an absent optional field is left out, and a field the op does not read, or the kind does
   *     not have, is ignored
   * @return the event
   * @throws IllegalArgumentException naming the first field that breaks its rule
   */
  public Event event(Op op, UUID id, Instant occurredAt, Map<String, Object> values) {
    if (factory == null) {
      return new DataEvent(this, op, id, occurredAt, values);
    }
    return factory.create(op, id, occurredAt, checked(op, values));
  }

  /**
   * Returns the data of an event of this kind as the envelope carries it.
   *
   * @param event an event of this kind, typed or a {@link DataEvent}
   * @return the data fields by wire name in wire order, absent ones left out: {@link String} for
   *     text, {@link Long} for integers. For a kind with a typed record the values are the
   *     record's, defaults included ({@code like_count} 0 in a tweet upsert), whichever form the
   *     event has
   * @throws IllegalArgumentException if the event is of another kind
   */
  public Map<String, Object> values(Event event) {
    if (event.type() != this) {
      throw new IllegalArgumentException("a " + event.type().wireName() + " is not a " + this);
    }
    if (event instanceof DataEvent data) {
      if (factory == null) {
        return data.data();
      }
      // The typed record applies the kind's defaults, so both forms give the same values.
      return values.apply(factory.create(data.op(), data.id(), data.occurredAt(), data.data()));
    }
    return values.apply(event);
  }

  /**
   * Checks the data values an event with this op reads and returns them in wire order.
   *
   * @return a new map of the fields the op reads that are present
   * @throws IllegalArgumentException naming the first field that is missing, of the wrong Java type
   *     or breaks its rule
   */
  Map<String, Object> checked(Op op, Map<String, ?> values) {
    Map<String, Object> read = new LinkedHashMap<>(fields.size() * 2);
    for (EventField field : fields) {
      Object value = field.readIn(op) ? values.get(field.name()) : null;
      String problem =
          value != null ? field.problem(value) : field.requiredIn(op) ? "is required" : null;
      if (problem != null) {
        throw new IllegalArgumentException(field.name() + ": " + problem);
      }
      if (value != null) {
        read.put(field.name(), value);
      }
    }
    return read;
  }
}
