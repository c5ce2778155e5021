package dev.shardpipe.ingest.http;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.ingest.publish.Published;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The one publish path of every {@link EventKind}: a single event, a delete and a batch are read by
 * the kind's field rules ({@link EventReader#readRequest}) and published. The controllers only
 * declare each kind's routes and their OpenAPI description, which Micronaut writes at compile time
 * from literal paths.
 */
@Singleton
final class KindRequests {

  private final PublishResponses responses;
  private final EventBodies bodies;
  private final TimeBasedEpochGenerator ids;
  private final Clock clock;

  KindRequests(
      PublishResponses responses, EventBodies bodies, TimeBasedEpochGenerator ids, Clock clock) {
    this.responses = responses;
    this.bodies = bodies;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * Publishes the one event of a {@code POST /<kind>} body.
   *
   * @return {@code 202} once Kafka acknowledged it; {@code 400}, {@code 413} or {@code 503} as
   *     {@link EventBodies#single} and {@link PublishResponses#one} say
   */
  CompletableFuture<HttpResponse<Published>> upsert(EventKind kind, byte[] body) {
    Instant now = clock.instant();
    return responses.one(
        bodies.single(
            body,
            kind,
            node -> EventReader.readRequest(kind, node, Op.UPSERT, ids::generate, now)));
  }

  /**
   * Publishes a {@code DELETE /<kind>/{id}}: its path and query are checked by the same rules, with
   * the same names, as a body's.
   *
   * @param key the values of the kind's {@link EventKind#keyFields()} in their order, each null
   *     when the query lacks it: a {@link String} for a text field, a {@link Long} for an integer
   * @param occurredAt the {@code occurred_at} parameter, or null for now
   */
  CompletableFuture<HttpResponse<Published>> delete(
      EventKind kind, UUID id, @Nullable String occurredAt, @Nullable Object... key) {
    List<EventField> keyFields = kind.keyFields();
    if (key.length != keyFields.size()) {
      throw new IllegalArgumentException(
          kind + " has " + keyFields.size() + " key fields, given " + key.length + " values");
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("id", JsonNode.createStringNode(id.toString()));
    if (occurredAt != null) {
      fields.put("occurred_at", JsonNode.createStringNode(occurredAt));
    }
    for (int i = 0; i < key.length; i++) {
      if (key[i] instanceof String text) {
        fields.put(keyFields.get(i).name(), JsonNode.createStringNode(text));
      } else if (key[i] instanceof Long number) {
        fields.put(keyFields.get(i).name(), JsonNode.createNumberNode(number));
      }
    }
    Instant now = clock.instant();
    return responses.one(
        bodies.parameters(
            fields,
            kind,
            node -> EventReader.readRequest(kind, node, Op.DELETE, ids::generate, now)));
  }

  /**
   * Publishes a {@code POST /<kind>/batch}, a JSON array or NDJSON.
   *
   * @return {@code 202} once Kafka acknowledged every item; errors as {@link EventBodies#batch} and
   *     {@link PublishResponses#batch} say
   */
  CompletableFuture<HttpResponse<BatchAccepted>> batch(
      EventKind kind, HttpRequest<?> request, byte[] body) {
    Instant now = clock.instant();
    List<Event> events =
        bodies.batch(
            body,
            request.getContentType().orElse(null),
            kind,
            node -> EventReader.readRequest(kind, node, Op.UPSERT, ids::generate, now));
    return responses.batch(kind, events);
  }
}
