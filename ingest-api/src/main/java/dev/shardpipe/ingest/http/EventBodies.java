package dev.shardpipe.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns request bodies into events: one JSON object, or a batch as a JSON array or NDJSON (one JSON
 * object per line, blank lines ignored). Everything wrong is reported at once as a {@code 400}
 * whose field paths name the item by its index from 0, {@code [3].owner_id} ({@link
 * Violation#inItem(int)}); a body over its limit is a {@code 413}.
 *
 * <p>A batch's items are counted before any is read into a tree: a JSON array is walked with a
 * streaming parser that stops at item {@code max-batch-items + 1}, NDJSON lines are counted without
 * being parsed. A body of millions of tiny items thus costs one pass over its bytes, never a tree
 * of millions of nodes.
 *
 * <p>An {@code occurred_at} more than {@code shardpipe.ingest.max-future} ahead of the clock is a
 * violation of its own: a version only replaces an older one, so a row stamped in year 9999 could
 * never be updated or deleted again.
 */
@Singleton
final class EventBodies {

  /** The media type of newline-delimited JSON: {@value}. */
  static final String NDJSON = "application/x-ndjson";

  private static final byte NEWLINE = '\n';

  /** Splits a JSON array into items; its default limits also bound nesting depth. */
  private static final JsonFactory STREAMING = new JsonFactory();

  private final JsonMapper json;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final int maxEventBytes;
  private final int maxBatchItems;
  private final Duration maxFuture;

  /** Reads one JSON item into an event, or says every way it is invalid. */
  interface ItemReader<E extends Event> {
    E read(JsonNode item) throws InvalidEventException;
  }

  @Inject
  EventBodies(JsonMapper json, IngestMetrics metrics, Clock clock, IngestConfiguration config) {
    this(json, metrics, clock, config.maxEventBytes(), config.maxBatchItems(), config.maxFuture());
  }

  EventBodies(
      JsonMapper json,
      IngestMetrics metrics,
      Clock clock,
      int maxEventBytes,
      int maxBatchItems,
      Duration maxFuture) {
    this.json = json;
    this.metrics = metrics;
    this.clock = clock;
    this.maxEventBytes = maxEventBytes;
    this.maxBatchItems = maxBatchItems;
    this.maxFuture = maxFuture;
  }

  /**
   * Reads a single event's body.
   *
   * @param type what the body holds, for the detail and the metrics
   * @throws ProblemException 413 over {@code max-event-bytes}, 400 when not JSON or invalid
   */
  <E extends Event> E single(byte[] body, EventKind type, ItemReader<E> reader) {
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
      return notTooFarAhead(reader.read(node));
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
      Map<String, JsonNode> fields, EventKind type, ItemReader<E> reader) {
    try {
      return notTooFarAhead(reader.read(JsonNode.createObjectNode(fields)));
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
   *     than {@code max-batch-items} (a JSON array is read no further than the first item too many,
   *     so its detail says "more than"), or any item is invalid
   */
  <E extends Event> List<E> batch(
      byte[] body, @Nullable MediaType contentType, EventKind type, ItemReader<E> reader) {
    String what = type.wireName() + "s";
    boolean ndjson = contentType != null && NDJSON.equals(contentType.getName());
    List<JsonNode> items;
    try {
      items = ndjson ? lines(body, what) : array(body, what);
    } catch (ProblemException e) {
      throw invalid(type, 1, e);
    } catch (TooManyItems e) {
      throw invalid(
          type, e.count, tooMany(what, e.exact ? "" + e.count : "more than " + maxBatchItems));
    }
    if (items.isEmpty()) {
      throw invalid(type, 1, tooMany(what, "0"));
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
        events.add(notTooFarAhead(reader.read(item)));
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

  /**
   * Splits a JSON array into its items. The array is walked token by token first, recording where
   * each item starts and ends, and refused at item {@code max-batch-items + 1}; only then is each
   * item read into a tree.
   */
  private List<JsonNode> array(byte[] body, String what) {
    int[] starts = new int[Math.min(maxBatchItems, 1024)];
    int[] ends = new int[starts.length];
    int count = 0;
    try (JsonParser parser = STREAMING.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_ARRAY) {
        if (first == null) {
          throw notJson();
        }
        parser.skipChildren();
        if (parser.nextToken() != null) {
          throw notJson();
        }
        throw ProblemException.invalid(
            "a batch is a JSON array of " + what + ", or NDJSON sent as " + NDJSON,
            List.of(new Violation("", "must be a JSON array")));
      }
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          throw notJson();
        }
        if (count == maxBatchItems) {
          throw new TooManyItems(count + 1, false);
        }
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, Math.min(maxBatchItems, count * 2));
          ends = Arrays.copyOf(ends, starts.length);
        }
        starts[count] = (int) parser.currentTokenLocation().getByteOffset();
        // Past the item's last byte: a container is skipped to its end, a string read to its
        // closing quote; a number or literal is complete already.
        parser.skipChildren();
        parser.finishToken();
        ends[count] = (int) parser.currentLocation().getByteOffset();
        count++;
      }
      if (parser.nextToken() != null) {
        throw notJson();
      }
    } catch (IOException e) {
      // The body is in memory, so this is a syntax error, or nesting beyond the parser's limit.
      throw notJson();
    }
    List<JsonNode> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(parse(body, starts[i], ends[i]));
    }
    return items;
  }

  /**
   * Splits NDJSON; a line that is not JSON becomes a null item, reported with its index. Lines past
   * the limit are only counted, never parsed, so that the count in the answer is exact.
   */
  private List<JsonNode> lines(byte[] body, String what) {
    List<int[]> ranges = new ArrayList<>();
    int count = 0;
    int start = 0;
    while (start < body.length) {
      int end = start;
      while (end < body.length && body[end] != NEWLINE) {
        end++;
      }
      // A newline byte never occurs inside a UTF-8 multi-byte sequence or a JSON string, so a
      // byte split is a line split.
      if (!blank(body, start, end)) {
        if (count < maxBatchItems) {
          ranges.add(new int[] {start, end});
        }
        count++;
      }
      start = end + 1;
    }
    if (count > maxBatchItems) {
      throw new TooManyItems(count, true);
    }
    List<JsonNode> items = new ArrayList<>(count);
    for (int[] range : ranges) {
      items.add(parse(body, range[0], range[1]));
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

  /**
   * Refuses an event stamped more than {@code max-future} ahead of the clock.
   *
   * @throws InvalidEventException naming {@code occurred_at}
   */
  private <E extends Event> E notTooFarAhead(E event) throws InvalidEventException {
    Instant latest = clock.instant().plus(maxFuture);
    if (event.occurredAt().isAfter(latest)) {
      throw new InvalidEventException(
          List.of(
              new Violation(
                  "occurred_at",
                  "must be at most "
                      + maxFuture.toString().substring(2).toLowerCase(Locale.ROOT)
                      + " ahead of the server's clock ("
                      + latest
                      + "), was "
                      + event.occurredAt())));
    }
    return event;
  }

  private ProblemException tooMany(String what, String count) {
    return ProblemException.invalid(
        "a batch holds 1 to " + maxBatchItems + " " + what,
        List.of(new Violation("", "must hold 1 to " + maxBatchItems + " items, was " + count)));
  }

  /** A batch with more items than allowed, found before any item was read. */
  private static final class TooManyItems extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int count;
    private final boolean exact;

    TooManyItems(int count, boolean exact) {
      super(null, null, false, false);
      this.count = count;
      this.exact = exact;
    }
  }

  private ProblemException invalid(EventKind type, int events, ProblemException problem) {
    metrics.rejected(type, Rejection.INVALID, events);
    return problem;
  }

  private static ProblemException notJson() {
    return ProblemException.invalid(
        "the body is not valid JSON", List.of(new Violation("", "is not valid JSON")));
  }
}
