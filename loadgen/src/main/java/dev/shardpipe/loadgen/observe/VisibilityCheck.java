package dev.shardpipe.loadgen.observe;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventField.Presence;
import dev.shardpipe.core.event.EventKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks that every event sent is visible through query-service (docs/contract.md §7): each one is
 * read back by its id with its shard key, so the read is routed to the one shard that must hold it
 * ({@code GET /tweets/{id}?location=&owner_id=}, {@code GET /files/{id}?user_id=}), and the fields
 * an upsert of its kind requires besides the key (a tweet's text, a file's name) are compared with
 * what was sent.
 *
 * <p>An event sent through ingest-api has a read token, and its lookup carries it as {@code
 * read_after}: query-service answers only once the event is applied, so a {@code 404} is final and
 * only a {@code 503 not-yet-applied} (the writer is further behind than query-service waits) is
 * asked again. Without a token (events sent straight to Kafka) a {@code 404} may only mean that the
 * writer has not applied the event yet, so it is asked again. Events to ask again are asked once a
 * second until none is left or the time is up.
 */
public final class VisibilityCheck {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Duration ROUND_PAUSE = Duration.ofSeconds(1);

  private final URI queryService;
  private final int concurrency;
  private final @Nullable String bearerToken;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * What the check found.
   *
   * @param expected events checked
   * @param visible events query-service returned, with the fields sent
   * @param mismatched events query-service returned with another text or file name (a newer version
   *     of the same id was stored before)
   * @param missing events still {@code 404} at the end
   * @param errors events whose last lookup failed otherwise (another status, no answer)
   * @param firstProblem the first missing, mismatched or failed lookup, for the report
   */
  @Serdeable
  public record Result(
      long expected,
      long visible,
      long mismatched,
      long missing,
      long errors,
      @Nullable String firstProblem) {

    /**
     * Tells whether every event is visible as sent.
     *
     * @return true when {@code visible == expected}
     */
    public boolean complete() {
      return visible == expected;
    }
  }

  /**
   * Prepares a check.
   *
   * @param queryService query-service's address, such as {@code http://127.0.0.1:8081}
   * @param concurrency lookups in flight at once, {@code >= 1}
   * @param bearerToken a bearer token of role read (or admin), or null when query-service runs
   *     without auth
   */
  public VisibilityCheck(URI queryService, int concurrency, @Nullable String bearerToken) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
    }
    this.queryService = queryService;
    this.concurrency = concurrency;
    this.bearerToken = bearerToken;
  }

  /**
   * One event to look up.
   *
   * @param event the event sent and acknowledged
   * @param token its read token from ingest-api's {@code 202}, or null when it has none
   */
  public record Sent(Event event, @Nullable String token) {}

  /** How one lookup ended. */
  private enum Outcome {
    VISIBLE,
    MISMATCHED,
    NOT_YET_APPLIED,
    MISSING,
    ERROR
  }

  /**
   * Looks every event up until all are visible or the time is up.
   *
   * @param events the events sent and acknowledged, with their read tokens where they have one
   * @param timeout the longest to keep asking for events not visible yet
   * @return what was found
   * @throws InterruptedException if interrupted
   */
  public Result check(List<Sent> events, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicLong visible = new AtomicLong();
    AtomicLong mismatched = new AtomicLong();
    AtomicLong missing = new AtomicLong();
    AtomicReference<String> firstProblem = new AtomicReference<>();
    List<Sent> pending = events;
    Queue<Sent> retry = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    while (true) {
      retry.clear();
      errors.set(0);
      Semaphore slots = new Semaphore(concurrency);
      for (Sent event : pending) {
        slots.acquire();
        lookup(event)
            .whenComplete(
                (outcome, error) -> {
                  Outcome o = error == null ? outcome.outcome() : Outcome.ERROR;
                  switch (o) {
                    case VISIBLE -> visible.incrementAndGet();
                    case MISMATCHED -> {
                      mismatched.incrementAndGet();
                      firstProblem.compareAndSet(null, outcome.detail());
                    }
                    case NOT_YET_APPLIED -> retry.add(event);
                    case MISSING -> {
                      if (event.token() == null) {
                        retry.add(event);
                      } else {
                        missing.incrementAndGet();
                        firstProblem.compareAndSet(
                            null, "applied but not found: " + outcome.detail());
                      }
                    }
                    case ERROR -> {
                      retry.add(event);
                      errors.incrementAndGet();
                    }
                  }
                  slots.release();
                });
      }
      slots.acquire(concurrency);
      if (retry.isEmpty() || System.nanoTime() + ROUND_PAUSE.toNanos() > deadline) {
        break;
      }
      pending = new ArrayList<>(retry);
      Thread.sleep(ROUND_PAUSE.toMillis());
    }
    if (!retry.isEmpty()) {
      firstProblem.compareAndSet(null, "not visible: " + path(retry.peek().event()));
    }
    return new Result(
        events.size(),
        visible.get(),
        mismatched.get(),
        missing.get() + retry.size() - errors.get(),
        errors.get(),
        firstProblem.get());
  }

  /** An outcome, and what to report about it. */
  private record Looked(Outcome outcome, String detail) {}

  private CompletableFuture<Looked> lookup(Sent sent) {
    Event event = sent.event();
    String path = path(event);
    String uri =
        sent.token() == null
            ? path
            : path + "&read_after=" + URLEncoder.encode(sent.token(), UTF_8);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(queryService.resolve(uri)).timeout(Duration.ofSeconds(10)).GET();
    if (bearerToken != null) {
      builder.header("Authorization", "Bearer " + bearerToken);
    }
    HttpRequest request = builder.build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() == 404) {
                return new Looked(Outcome.MISSING, path);
              }
              if (response.statusCode() == 503 && sent.token() != null) {
                return new Looked(Outcome.NOT_YET_APPLIED, path);
              }
              if (response.statusCode() != 200) {
                return new Looked(Outcome.ERROR, path + " answered " + response.statusCode());
              }
              return compare(event, path, response.body());
            });
  }

  private static Looked compare(Event event, String path, byte[] body) {
    try {
      JsonNode row = JSON.readValue(body, JsonNode.class);
      Map<String, Object> values = event.type().values(event);
      for (EventField field : event.type().fields()) {
        Object sent = values.get(field.name());
        if (field.presence() != Presence.UPSERT || sent == null) {
          continue;
        }
        JsonNode value = row.get(field.name());
        Object stored = value == null ? null : stored(field, value);
        if (!sent.equals(stored)) {
          return new Looked(
              Outcome.MISMATCHED,
              path + " holds " + field.name() + " \"" + stored + "\", sent \"" + sent);
        }
      }
      return new Looked(Outcome.VISIBLE, path);
    } catch (IOException e) {
      return new Looked(Outcome.ERROR, path + " answered a body that is not JSON");
    }
  }

  /** A stored value as {@link EventKind#values} gives a sent one, so that the two compare. */
  private static @Nullable Object stored(EventField field, JsonNode value) {
    return switch (field.type()) {
      case TEXT -> value.isString() ? value.getStringValue() : null;
      case INTEGER -> value.isNumber() ? value.getLongValue() : null;
    };
  }

  /**
   * Returns the lookup of an event's row by its id and shard key, routed to the one shard that
   * holds it.
   *
   * @return such as {@code /tweets/<id>?location=europe&owner_id=42}: the kind's collection, then
   *     each key field by name in key order, URL-encoded
   */
  static String path(Event event) {
    EventKind kind = event.type();
    Map<String, Object> values = kind.values(event);
    StringBuilder path = new StringBuilder("/").append(kind.collection()).append('/');
    path.append(event.id());
    char separator = '?';
    for (EventField field : kind.keyFields()) {
      path.append(separator)
          .append(field.name())
          .append('=')
          .append(URLEncoder.encode(String.valueOf(values.get(field.name())), UTF_8));
      separator = '&';
    }
    return path.toString();
  }
}
