package dev.shardpipe.loadgen.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.loadgen.http.HttpPool;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends events to ingest-api (docs/contract.md §6): one event per {@code POST /tweets} or {@code
 * /files}, or batches to {@code /tweets/batch} and {@code /files/batch} as a JSON array. A {@code
 * 202} carries each event's partition and offset.
 *
 * <p>A {@code 503} (Kafka unavailable, ingest-api overloaded, writers behind), a refused connection
 * or one reset before the answer is retried up to {@code retries} times after the {@code
 * Retry-After} it names (1 s without one, at most 5 s): the events carry their ids, so a retry
 * never makes a second row. A timeout and any other answer fail the request at once.
 */
public final class HttpSink implements Sink {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);
  private static final int DETAIL_CHARS = 300;

  private final URI base;
  private final boolean batches;
  private final int retries;
  private final HttpPool http;

  /**
   * Creates the sink.
   *
   * @param base ingest-api's address, such as {@code http://127.0.0.1:8080}
   * @param batches true to post every request to the batch endpoint, false for one event per
   *     request
   * @param retries how often a {@code 503} or a refused connection is retried, {@code >= 0}
   * @param connections connections to ingest-api, the most requests in flight
   * @param timeout the longest one request may take
   * @param token the bearer token of role ingest (or admin), or null for none
   */
  public HttpSink(
      URI base,
      boolean batches,
      int retries,
      int connections,
      Duration timeout,
      @Nullable String token) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, was " + retries);
    }
    this.base = base;
    this.batches = batches;
    this.retries = retries;
    this.http = new HttpPool(connections, timeout, token);
  }

  @Override
  public CompletableFuture<List<Ack>> send(List<Event> events) {
    EventKind type = events.get(0).type();
    for (Event event : events) {
      if (event.type() != type) {
        throw new IllegalArgumentException("a request holds events of one type only");
      }
    }
    String path = "/" + type.collection();
    byte[] body;
    if (batches) {
      path += "/batch";
      body = EventJson.array(events);
    } else if (events.size() == 1) {
      body = EventJson.single(events.get(0));
    } else {
      throw new IllegalArgumentException(
          "single-event requests carry one event, got " + events.size());
    }
    return attempt(base.resolve(path), body, events.size(), 0);
  }

  private CompletableFuture<List<Ack>> attempt(URI uri, byte[] body, int events, int attempt) {
    return http.post(uri, body)
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                // A refused or reset connection (ingest-api restarting, a proxy closing an idle
                // connection) is retried; a timeout is not: the request may still be working.
                if (cause instanceof IOException
                    && !(cause instanceof SocketTimeoutException)
                    && attempt < retries) {
                  return retryAfter(uri, body, events, attempt, null);
                }
                return CompletableFuture.<List<Ack>>failedFuture(
                    new SendFailure(
                        cause instanceof SocketTimeoutException ? "timeout" : "connection",
                        String.valueOf(cause)));
              }
              if (response.status() == 202) {
                try {
                  return CompletableFuture.completedFuture(acks(response.body(), events));
                } catch (IOException | RuntimeException e) {
                  return CompletableFuture.<List<Ack>>failedFuture(
                      new SendFailure("bad 202 body", String.valueOf(e)));
                }
              }
              if (response.status() == 503 && attempt < retries) {
                return retryAfter(uri, body, events, attempt, response.retryAfter());
              }
              String text = new String(response.body(), UTF_8);
              return CompletableFuture.<List<Ack>>failedFuture(
                  new SendFailure(
                      "http " + response.status(),
                      text.length() > DETAIL_CHARS ? text.substring(0, DETAIL_CHARS) : text));
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<List<Ack>> retryAfter(
      URI uri, byte[] body, int events, int attempt, @Nullable String retryAfter) {
    Duration wait = Duration.ofSeconds(1);
    if (retryAfter != null) {
      try {
        wait = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
      } catch (NumberFormatException e) {
        // An HTTP date instead of seconds: wait the default.
      }
    }
    if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
      wait = MAX_RETRY_AFTER;
    }
    return CompletableFuture.supplyAsync(
            () -> null, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(ignored -> attempt(uri, body, events, attempt + 1));
  }

  /**
   * Reads the partition, offset and read token of each event from a {@code 202}: {@code {"id",
   * "partition", "offset", "shard", "token"}} for one event, {@code {"accepted": n, "results":
   * [...], "token"}} for a batch, whose own {@code token} (covering every item) is not an event's.
   */
  static List<Ack> acks(byte[] body, int events) throws IOException {
    List<Ack> acks = new ArrayList<>(events);
    try (JsonParser json = JSON.createParser(body)) {
      // Fields are matched within each object, in whatever order ingest-api writes them.
      int partition = -1;
      long offset = -1;
      String readToken = null;
      for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
        if (token == JsonToken.START_OBJECT) {
          partition = -1;
          offset = -1;
          readToken = null;
        } else if (token == JsonToken.END_OBJECT && partition >= 0 && offset >= 0) {
          acks.add(new Ack(partition, offset, readToken));
          partition = -1;
          offset = -1;
          readToken = null;
        } else if (token == JsonToken.FIELD_NAME && "token".equals(json.currentName())) {
          json.nextToken();
          readToken = json.getValueAsString();
        } else if (token == JsonToken.FIELD_NAME && "partition".equals(json.currentName())) {
          json.nextToken();
          partition = json.getIntValue();
        } else if (token == JsonToken.FIELD_NAME && "offset".equals(json.currentName())) {
          json.nextToken();
          offset = json.getLongValue();
        }
      }
    }
    if (acks.size() != events) {
      throw new IOException("the 202 names " + acks.size() + " events, the request had " + events);
    }
    return acks;
  }

  @Override
  public boolean acksAreRouted() {
    return true;
  }

  @Override
  public void close() {
    http.close();
  }
}
