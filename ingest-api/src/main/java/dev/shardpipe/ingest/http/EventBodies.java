package dev.shardpipe.ingest.http;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventType;
import dev.shardpipe.core.event.InvalidEventException;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.config.IngestConfiguration;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import dev.shardpipe.ingest.metrics.IngestMetrics.Rejection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns request bodies into events: one JSON object, or a batch as a JSON array or NDJSON (one JSON
 * object per line, blank lines ignored). Everything wrong is reported at once as a {@code 400}
 * whose field paths name the item by its index from 0, {@code [3].owner_id} ({@link
 * Violation#inItem(int)}); a body over its limit is a {@code 413}.
 */
@Singleton
final class EventBodies {

  /** The media type of newline-delimited JSON: {@value}. */
  static final String NDJSON = "application/x-ndjson";

  private static final byte NEWLINE = '\n';

  private final JsonMapper json;
  private final IngestMetrics metrics;
  private final int maxEventBytes;
  private final int maxBatchItems;

  /** Reads one JSON item into an event, or says every way it is invalid. */
  interface ItemReader<E extends Event> {
    E read(JsonNode item) throws InvalidEventException;
  }

  @Inject
  EventBodies(JsonMapper json, IngestMetrics metrics, IngestConfiguration config) {
    this(json, metrics, config.maxEventBytes(), config.maxBatchItems());
  }

  EventBodies(JsonMapper json, IngestMetrics metrics, int maxEventBytes, int maxBatchItems) {
    this.json = json;
    this.metrics = metrics;
    this.maxEventBytes = maxEventBytes;
    this.maxBatchItems = maxBatchItems;
  }

  /**
   * Reads a single event's body.
   *
   * @param type what the body holds, for the detail and the metrics
   * @throws ProblemException 413 over {@code max-event-bytes}, 400 when not JSON or invalid
   */
  <E extends Event> E single(byte[] body, EventType type, ItemReader<E> reader) {
    String what = type.wireName();
    if (body.length > maxEventBytes) {
      metrics.rejected(type, Rejection.TOO_LARGE, 1);
      throw ProblemException.tooLarge(
          "the body of one " + what + " is at most " + maxEventBytes + " bytes, was " + body.length,
          maxEventBytes);
    }
    JsonNode node = parse(body, 0, body.length);
    if (node == null) {
      throw invalid(type, 1, notJson());
    }
    try {
      return reader.read(node);
    } catch (InvalidEventException e) {
      throw invalid(
          type, 1, ProblemException.invalid("the " + what + " is invalid", e.violations()));
    }
  }

  /**
   * Reads an event from request parameters, such as a delete's path and query.
   *
   * @param fields the parameters by their wire names
   * @param type the event's type, for the detail and the metrics
   * @throws ProblemException 400 naming every invalid parameter
   */
  <E extends Event> E parameters(
      Map<String, JsonNode> fields, EventType type, ItemReader<E> reader) {
    try {
      return reader.read(JsonNode.createObjectNode(fields));
    } catch (InvalidEventException e) {
      throw invalid(
          type,
          1,
          ProblemException.invalid(
              "the " + type.wireName() + " delete is invalid", e.violations()));
    }
  }

  /**
   * Reads a batch: every item is read, and any violation fails the whole batch.
   *
   * @param contentType the request's media type; {@value #NDJSON} or JSON
   * @param type what the items are, for the detail and the metrics
   * @throws ProblemException 400 when the body is not a JSON array or NDJSON, holds no item or more
   *     than {@code max-batch-items}, or any item is invalid
   */
  <E extends Event> List<E> batch(
      byte[] body, @Nullable MediaType contentType, EventType type, ItemReader<E> reader) {
    String what = type.wireName() + "s";
    boolean ndjson = contentType != null && NDJSON.equals(contentType.getName());
    List<JsonNode> items;
    try {
      items = ndjson ? lines(body) : array(body, what);
    } catch (ProblemException e) {
      throw invalid(type, 1, e);
    }
    if (items.isEmpty() || items.size() > maxBatchItems) {
      throw invalid(
          type,
          Math.max(1, items.size()),
          ProblemException.invalid(
              "a batch holds 1 to " + maxBatchItems + " " + what,
              List.of(
                  new Violation(
                      "", "must hold 1 to " + maxBatchItems + " items, was " + items.size()))));
    }
    List<E> events = new ArrayList<>(items.size());
    List<Violation> violations = new ArrayList<>();
    int invalid = 0;
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      try {
        if (item == null) {
          throw new InvalidEventException(List.of(new Violation("", "is not valid JSON")));
        }
        events.add(reader.read(item));
      } catch (InvalidEventException e) {
        invalid++;
        for (Violation violation : e.violations()) {
          violations.add(violation.inItem(i));
        }
      }
    }
    if (invalid > 0) {
      // Every item of the batch is refused, the valid ones too: nothing of it is published.
      throw invalid(
          type,
          items.size(),
          ProblemException.invalid(
              invalid + " of " + items.size() + " " + what + " are invalid; nothing was published",
              violations));
    }
    return events;
  }

  private List<JsonNode> array(byte[] body, String what) {
    JsonNode root = parse(body, 0, body.length);
    if (root == null) {
      throw notJson();
    }
    if (!root.isArray()) {
      throw ProblemException.invalid(
          "a batch is a JSON array of " + what + ", or NDJSON sent as " + NDJSON,
          List.of(new Violation("", "must be a JSON array")));
    }
    List<JsonNode> items = new ArrayList<>(root.size());
    for (JsonNode item : root.values()) {
      items.add(item);
    }
    return items;
  }

  /** Splits NDJSON; a line that is not JSON becomes a null item, reported with its index. */
  private List<JsonNode> lines(byte[] body) {
    List<JsonNode> items = new ArrayList<>();
    int start = 0;
    while (start < body.length) {
      int end = start;
      while (end < body.length && body[end] != NEWLINE) {
        end++;
      }
      // A newline byte never occurs inside a UTF-8 multi-byte sequence or a JSON string, so a
      // byte split is a line split.
      if (!blank(body, start, end)) {
        // Past the limit the batch is refused for its size alone; lines are only counted.
        items.add(items.size() < maxBatchItems ? parse(body, start, end) : null);
      }
      start = end + 1;
    }
    return items;
  }

  private static boolean blank(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private @Nullable JsonNode parse(byte[] body, int start, int end) {
    try {
      byte[] bytes = start == 0 && end == body.length ? body : Arrays.copyOfRange(body, start, end);
      return json.readValue(bytes, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private ProblemException invalid(EventType type, int events, ProblemException problem) {
    metrics.rejected(type, Rejection.INVALID, events);
    return problem;
  }

  private static ProblemException notJson() {
    return ProblemException.invalid(
        "the body is not valid JSON", List.of(new Violation("", "is not valid JSON")));
  }
}
