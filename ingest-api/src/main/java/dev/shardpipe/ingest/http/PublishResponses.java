package dev.shardpipe.ingest.http;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventType;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.config.IngestConfiguration;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import dev.shardpipe.ingest.metrics.IngestMetrics.Rejection;
import dev.shardpipe.ingest.publish.EventPublisher;
import dev.shardpipe.ingest.publish.Published;
import dev.shardpipe.ingest.publish.PublisherBusyException;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import java.time.Duration;
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
 * acknowledged every event, otherwise a {@code 503} problem with {@code Retry-After} that tells the
 * client nothing was promised and, for Kafka failures, which ids to retry with.
 */
@Singleton
final class PublishResponses {

  private static final Logger LOG = LoggerFactory.getLogger(PublishResponses.class);

  private final EventPublisher publisher;
  private final IngestMetrics metrics;
  private final Duration retryAfter;

  PublishResponses(EventPublisher publisher, IngestMetrics metrics, IngestConfiguration config) {
    this.publisher = publisher;
    this.metrics = metrics;
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
      EventType type, List<? extends Event> events) {
    return publish(
        type,
        events,
        results -> new BatchAccepted(results.size(), results),
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
  CompletableFuture<HttpResponse<BulkAccepted>> bulk(EventType type, List<? extends Event> events) {
    return publish(
        type,
        events,
        results -> new BulkAccepted(results.size()),
        Map.of("count", events.size()),
        "Kafka did not acknowledge every synthetic event in time; some may be stored");
  }

  private <T> CompletableFuture<HttpResponse<T>> publish(
      EventType type,
      List<? extends Event> events,
      Function<List<Published>, T> body,
      Map<String, Object> retryWith,
      String detail) {
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
      EventType type,
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
