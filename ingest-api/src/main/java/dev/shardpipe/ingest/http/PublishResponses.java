package dev.shardpipe.ingest.http;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.config.IngestConfiguration;
import dev.shardpipe.ingest.lag.Backpressure;
import dev.shardpipe.ingest.lag.LagWatcher;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import dev.shardpipe.ingest.metrics.IngestMetrics.Rejection;
import dev.shardpipe.ingest.publish.EventPublisher;
import dev.shardpipe.ingest.publish.Published;
import dev.shardpipe.ingest.publish.PublisherBusyException;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events of one request and turns the outcome into its answer: {@code 202} once Kafka
 * acknowledged every event, with a read token per event (and one for a batch); otherwise a {@code
 * 503} problem with {@code Retry-After} that tells the client nothing was promised and, for Kafka
 * failures, which ids to retry with.
 *
 * <p>Before anything is sent, a request whose events are routed to a partition whose writers are
 * over {@code shardpipe.ingest.max-lag} behind is refused whole with {@code 503 writers-behind}
 * naming those partitions (docs/ingest-api.md): refusing part of a batch would leave the client to
 * sort out which items were stored.
 */
@Singleton
final class PublishResponses {

  private static final Logger LOG = LoggerFactory.getLogger(PublishResponses.class);

  private final EventPublisher publisher;
  private final IngestMetrics metrics;
  private final ReadTokenCodec tokens;
  private final Routing routing;
  private final LagWatcher lag;
  private final Backpressure backpressure;
  private final Clock clock;
  private final Duration retryAfter;

  PublishResponses(
      EventPublisher publisher,
      IngestMetrics metrics,
      ReadTokenCodec tokens,
      Routing routing,
      LagWatcher lag,
      IngestConfiguration config,
      Clock clock) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.tokens = tokens;
    this.routing = routing;
    this.lag = lag;
    this.backpressure = Backpressure.of(config.maxLag(), config.lagRefreshInterval());
    this.clock = clock;
    this.retryAfter = config.retryAfter();
  }

  /**
   * Publishes one event.
   *
   * @return {@code 202} with where Kafka stored it; fails with a {@code 503} problem naming the
   *     event's {@code id}
   */
  CompletableFuture<HttpResponse<Published>> one(Event event) {
    return publish(
        event.type(),
        List.of(event),
        results -> results.get(0),
        Map.of("id", event.id().toString()),
        "Kafka did not acknowledge the event in time; it may or may not be stored, so nothing is"
            + " promised. Retry with the same id (and occurred_at): an id is stored once however"
            + " often it is sent");
  }

  /**
   * Publishes a batch.
   *
   * @return {@code 202} with every result in item order; fails with a {@code 503} problem whose
   *     {@code ids} gives item {@code i}'s id at position {@code i}, generated ones included
   */
  CompletableFuture<HttpResponse<BatchAccepted>> batch(
      EventKind type, List<? extends Event> events) {
    return publish(
        type,
        events,
        results -> new BatchAccepted(results.size(), results, batchToken(results)),
        Map.of("ids", events.stream().map(e -> e.id().toString()).toList()),
        "Kafka did not acknowledge every item in time; some may be stored, so nothing is promised."
            + " Retry the whole batch with item i's id set to ids[i]: an id is stored once however"
            + " often it is sent");
  }

  /**
   * Publishes synthetic events.
   *
   * @return {@code 202} with their count; fails with a {@code 503} problem
   */
  CompletableFuture<HttpResponse<BulkAccepted>> bulk(EventKind type, List<? extends Event> events) {
    return publish(
        type,
        events,
        results -> new BulkAccepted(results.size()),
        Map.of("count", events.size()),
        "Kafka did not acknowledge every synthetic event in time; some may be stored");
  }

  /** One token for a whole batch: per partition, the highest offset of its items. */
  private String batchToken(List<Published> results) {
    Map<Integer, Long> highest = new HashMap<>();
    for (Published result : results) {
      highest.merge(result.partition(), result.offset(), Math::max);
    }
    return tokens.encode(new ReadToken(highest));
  }

  private <T> CompletableFuture<HttpResponse<T>> publish(
      EventKind type,
      List<? extends Event> events,
      Function<List<Published>, T> body,
      Map<String, Object> retryWith,
      String detail) {
    List<Integer> behind =
        backpressure.behind(
            lag.current(), events.stream().map(routing::partitionFor).toList(), clock.instant());
    if (!behind.isEmpty()) {
      metrics.rejected(type, Rejection.WRITERS_BEHIND, events.size());
      return CompletableFuture.failedFuture(
          ProblemException.unavailable(
              "writers-behind",
              "Writers behind",
              "the writers of partition(s) "
                  + behind
                  + " are more than "
                  + backpressure.maxLag()
                  + " events behind; nothing of this request was sent, so retry it after"
                  + " Retry-After",
              retryAfter,
              Map.of("partitions", behind)));
    }
    return publisher
        .publishAll(events)
        .handle(
            (results, failure) -> {
              if (failure == null) {
                metrics.accepted(events);
                return HttpResponse.accepted().body(body.apply(results));
              }
              throw problem(type, events, unwrap(failure), retryWith, detail);
            });
  }

  private RuntimeException problem(
      EventKind type,
      List<? extends Event> events,
      Throwable cause,
      Map<String, Object> retryWith,
      String detail) {
    if (cause instanceof PublisherBusyException) {
      metrics.rejected(type, Rejection.OVERLOADED, events.size());
      return ProblemException.unavailable(
          "ingest-overloaded",
          "Too many events in flight",
          "too many events are waiting for Kafka's acknowledgement; nothing of this request was"
              + " sent, so retry it after Retry-After",
          retryAfter,
          Map.of());
    }
    if (cause instanceof RetriableException) {
      metrics.rejected(type, Rejection.KAFKA_UNAVAILABLE, events.size());
      LOG.warn(
          "Kafka did not acknowledge {} {} event(s), first id [{}]: {}",
          events.size(),
          type.wireName(),
          events.get(0).id(),
          cause.toString());
      return ProblemException.unavailable(
          "kafka-unavailable", "Kafka unavailable", detail, retryAfter, retryWith);
    }
    return new IllegalStateException(
        "publishing " + events.size() + " event(s), first id " + events.get(0).id(), cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
