package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads events from JSON trees, checking every rule of docs/contract.md §3 and reporting all
 * violations at once. Two shapes are read: the envelope on the topic ({@link #readEnvelope}) and
 * the flat bodies of ingest-api ({@link #readRequest}), whose fields are the envelope's {@code
 * data} plus an optional {@code id} and {@code occurred_at}. The fields and their rules are the
 * {@link EventKind}'s.
 */
public final class EventReader {

  private static final String OPS = "\"upsert\" or \"delete\"";

  private EventReader() {}

  /**
   * Reads an envelope: {@code type}, {@code op} (default upsert), {@code id}, {@code occurred_at}
   * and {@code data}, all but {@code op} required.
   *
   * @param root the parsed record value
   * @return the event
   * @throws InvalidEventException listing every violation, with {@code data.} before data fields
   */
  public static Event readEnvelope(@Nullable JsonNode root) throws InvalidEventException {
    requireObject(root);
    List<Violation> violations = new ArrayList<>();
    JsonFields fields = new JsonFields(root, "", violations);
    EventKind kind = fields.choice("type", true, EventKind::fromWireName, EventKind.wireNames());
    Op op =
        Objects.requireNonNullElse(fields.choice("op", false, Op::fromWireName, OPS), Op.UPSERT);
    UUID id = fields.uuid("id", true);
    Instant occurredAt = fields.instant("occurred_at", true);
    JsonNode data = fields.object("data");
    Map<String, Object> values = null;
    if (data != null && kind != null) {
      values = readData(kind, new JsonFields(data, "data.", violations), op);
    }
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    return kind.event(op, id, occurredAt, values);
  }

  /**
   * Reads an event from an ingest-api body or a delete's parameters: the kind's data fields at the
   * top level (for a delete only the ones it reads) plus an optional {@code id} and {@code
   * occurred_at}, defaulted to a new id and {@code now}.
   *
   * @param kind what the body holds
   * @param body the parsed request body
   * @param op what the event does
   * @param newId supplies the id when the body has none
   * @param now the time used when the body has no {@code occurred_at}
   * @return an event of {@code kind}
   * @throws InvalidEventException listing every violation
   */
  public static Event readRequest(
      EventKind kind, @Nullable JsonNode body, Op op, Supplier<UUID> newId, Instant now)
      throws InvalidEventException {
    requireObject(body);
    List<Violation> violations = new ArrayList<>();
    JsonFields fields = new JsonFields(body, "", violations);
    UUID id = fields.uuid("id", false);
    Instant occurredAt = fields.instant("occurred_at", false);
    Map<String, Object> values = readData(kind, fields, op);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    return kind.event(
        op, id != null ? id : newId.get(), Objects.requireNonNullElse(occurredAt, now), values);
  }

  /**
   * Reads a tweet from an ingest-api body: {@code location}, {@code owner_id}, {@code text} (for an
   * upsert), optional {@code like_count}, {@code id} and {@code occurred_at}.
   *
   * @param body the parsed request body
   * @param op what the event does
   * @param newId supplies the id when the body has none
   * @param now the time used when the body has no {@code occurred_at}
   * @return the event
   * @throws InvalidEventException listing every violation
   */
  public static TweetEvent readTweet(
      @Nullable JsonNode body, Op op, Supplier<UUID> newId, Instant now)
      throws InvalidEventException {
    return (TweetEvent) readRequest(EventKind.TWEET, body, op, newId, now);
  }

  /**
   * Reads a file from an ingest-api body: {@code user_id}, {@code file_name} (for an upsert),
   * optional {@code size_bytes}, {@code content_type}, {@code id} and {@code occurred_at}.
   *
   * @param body the parsed request body
   * @param op what the event does
   * @param newId supplies the id when the body has none
   * @param now the time used when the body has no {@code occurred_at}
   * @return the event
   * @throws InvalidEventException listing every violation
   */
  public static FileEvent readFile(
      @Nullable JsonNode body, Op op, Supplier<UUID> newId, Instant now)
      throws InvalidEventException {
    return (FileEvent) readRequest(EventKind.FILE, body, op, newId, now);
  }

  private static void requireObject(@Nullable JsonNode node) throws InvalidEventException {
    if (node == null || !node.isObject()) {
      throw new InvalidEventException(List.of(new Violation("", "must be a JSON object")));
    }
  }

  /** Reads the fields the op reads, each by its rule; an absent or invalid one is left out. */
  private static Map<String, Object> readData(EventKind kind, JsonFields fields, Op op) {
    Map<String, Object> values = new HashMap<>();
    for (EventField field : kind.fields()) {
      if (!field.readIn(op)) {
        continue;
      }
      boolean required = field.requiredIn(op);
      Object value =
          field.type() == EventField.Type.TEXT
              ? fields.text(field.name(), required, (int) field.max())
              : fields.nonNegative(field.name(), required, field.max());
      if (value != null) {
        values.put(field.name(), value);
      }
    }
    return values;
  }
}
