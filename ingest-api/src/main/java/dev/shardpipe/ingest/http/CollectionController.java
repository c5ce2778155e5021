package dev.shardpipe.ingest.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.ingest.publish.Published;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /{collection}}, {@code DELETE /{collection}/{id}} and {@code POST
 * /{collection}/batch} for every event kind, found by its collection (docs/ingest-api.md, "Every
 * kind by its collection"): a kind needs no routes of its own. A collection no kind has answers
 * {@code 404} naming those that exist.
 *
 * <p>A literal route wins over these for every request it takes. Micronaut keeps the routes whose
 * path, method and media types fit the request; of several, those that name the request's media
 * type; of those, the ones with the fewest variables and then the longest literal text. So {@code
 * POST /tweets} stays {@link EventController}'s, and {@code POST /ingest/bulk}, two segments
 * without {@code batch}, never matches here. Same roles, media types and body limits as the typed
 * routes, and the same handling in {@link KindRequests}, hence the same answers; runs on the event
 * loop as they do.
 */
@Secured({Roles.INGEST, Roles.ADMIN})
@Controller
@Tag(name = "events")
final class CollectionController {

  private static final String COLLECTION =
      "The collection of an event kind, such as tweets or files; a kind with routes of its own is"
          + " served by those";

  private final KindRequests requests;

  CollectionController(KindRequests requests) {
    this.requests = requests;
  }

  // Takes any media type and refuses all but JSON itself: Micronaut prefers a route that names the
  // request's type over one that takes any, before it compares paths, so naming JSON here would
  // take a JSON POST /refresh (management, any type) from its endpoint.
  @Post("/{collection}")
  @Consumes(MediaType.ALL)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish one event of any kind",
      description =
          "The body is one event of the collection's kind, with the kind's fields and optional id"
              + " and occurred_at. Answers as POST /tweets does: 202 once Kafka acknowledged it.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = "object", description = "one event of the kind")))
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the event",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @PublishErrors.Single
  @PublishErrors.UnknownCollection
  CompletableFuture<HttpResponse<Published>> postEvent(
      @PathVariable @Parameter(description = COLLECTION) String collection,
      HttpRequest<?> request,
      @Body @Parameter(hidden = true) byte[] body) {
    EventKind kind = KindRequests.kind(collection);
    KindRequests.requireJson(request);
    return requests.upsert(kind, body);
  }

  @Delete("/{collection}/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Delete an event of any kind",
      description =
          "The query gives the kind's shard key fields by their names (as location and owner_id"
              + " for a tweet) and optionally occurred_at. Answers as DELETE /tweets/{id} does.")
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the delete",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @PublishErrors.Delete
  @PublishErrors.UnknownCollection
  CompletableFuture<HttpResponse<Published>> deleteEvent(
      @PathVariable @Parameter(description = COLLECTION) String collection,
      @PathVariable @Parameter(description = "the event's id", schema = @Schema(format = "uuid"))
          String id,
      @QueryValue("occurred_at")
          @Nullable
          @Schema(description = "RFC 3339 instant of the delete; now when absent")
          String occurredAt,
      HttpRequest<?> request) {
    return requests.delete(KindRequests.kind(collection), id, occurredAt, request.getParameters());
  }

  @Post("/{collection}/batch")
  @Consumes({MediaType.APPLICATION_JSON, EventBodies.NDJSON})
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish up to 10 000 events of any kind",
      description =
          "A JSON array of events of the collection's kind, or NDJSON (one per line), with the"
              + " rules of /tweets/batch.")
  @RequestBody(
      required = true,
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            array =
                @ArraySchema(
                    maxItems = 10_000,
                    schema = @Schema(type = "object", description = "one event of the kind"))),
        @Content(
            mediaType = EventBodies.NDJSON,
            schema =
                @Schema(
                    type = "string",
                    format = "ndjson",
                    description = "one event object per line, as in the JSON array"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged every event",
      content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
  @PublishErrors.Batch
  @PublishErrors.UnknownCollection
  CompletableFuture<HttpResponse<BatchAccepted>> postBatch(
      @PathVariable @Parameter(description = COLLECTION) String collection,
      HttpRequest<?> request,
      @Body @Parameter(hidden = true) byte[] body) {
    return requests.batch(KindRequests.kind(collection), request, body);
  }
}
