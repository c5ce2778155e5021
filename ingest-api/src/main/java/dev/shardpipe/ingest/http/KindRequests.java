package dev.shardpipe.ingest.http;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.publish.Published;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The one publish path of every {@link EventKind}: a single event, a delete and a batch are read by
 * the kind's field rules ({@link EventReader#readRequest}) and published. {@link
 * CollectionController} serves every kind by its collection; a kind may also declare literal routes
 * (as tweets and files do in {@link EventController} and {@link BatchController}) for a typed
 * request schema in the OpenAPI document, which Micronaut writes at compile time from literal
 * paths. Both answer alike, for both end here.
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
   * Finds the kind of a collection named in a path.
   *
   * @param collection a URL segment, such as {@code tweets}
   * @return the kind whose {@link EventKind#collection()} it is
   * @throws ProblemException 404 naming every collection when no kind has it
   */
  static EventKind kind(String collection) {
    for (EventKind kind : EventKind.values()) {
      if (kind.collection().equals(collection)) {
        return kind;
      }
    }
    throw ProblemException.notFound(
        "no event collection is named \""
            + collection
            + "\"; the collections are "
            + Arrays.stream(EventKind.values())
                .map(EventKind::collection)
                .collect(Collectors.joining(", ")));
  }

  /**
   * Refuses a body that is not JSON as a route that takes only JSON does: the same {@code 415},
   * rendered by the framework (http-problem). A request without a {@code Content-Type} passes, as
   * there.
   *
   * @throws HttpStatusException 415 when the request's media type is another
   */
  static void requireJson(HttpRequest<?> request) {
    MediaType type = request.getContentType().orElse(null);
    if (type != null && !MediaType.APPLICATION_JSON.equals(type.getName())) {
      throw new HttpStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not JSON");
    }
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
   * Publishes a {@code DELETE /<collection>/{id}} whose key fields are read from the query by their
   * wire names, converted and refused as the typed routes' bound parameters are: an id that is not
   * a UUID or an integer field that is not one answers the framework's {@code 400}
   * (docs/ingest-api.md, "Errors"), the id first and then the key fields in order, each alone as
   * the framework reports only the first parameter it cannot convert.
   *
   * @param id the path's id, not yet converted
   * @param occurredAt the {@code occurred_at} parameter, or null for now
   * @param query the request's query parameters; the first value of a repeated one counts
   */
  CompletableFuture<HttpResponse<Published>> delete(
      EventKind kind, String id, @Nullable String occurredAt, HttpParameters query) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw unconvertible("id", "a UUID");
    }
    List<EventField> keyFields = kind.keyFields();
    Object[] key = new Object[keyFields.size()];
    for (int i = 0; i < key.length; i++) {
      EventField field = keyFields.get(i);
      String value = query.getFirst(field.name()).orElse(null);
      if (field.type() == EventField.Type.TEXT) {
        key[i] = value;
      } else if (value == null || value.isEmpty()) {
        // The framework binds an empty number as absent: "is required", not "must be an integer".
        key[i] = null;
      } else {
        try {
          key[i] = Long.valueOf(value);
        } catch (NumberFormatException e) {
          throw unconvertible(field.name(), "an integer");
        }
      }
    }
    return delete(kind, uuid, occurredAt, key);
  }

  /** The problem the framework answers for a parameter it cannot convert (http-problem). */
  private static ProblemException unconvertible(String name, String what) {
    return ProblemException.invalid(
        "the request has invalid parameters", List.of(new Violation(name, "must be " + what)));
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
