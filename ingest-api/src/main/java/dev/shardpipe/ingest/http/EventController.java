package dev.shardpipe.ingest.http;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.EventType;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.ingest.publish.Published;
import io.micronaut.core.annotation.Nullable;
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
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /tweets}, {@code POST /files} and their deletes (SPEC 6): validate one event, publish
 * it, and answer {@code 202} with where Kafka stored it only after Kafka acknowledged it.
 *
 * <p>Runs on the event loop: reading a body of at most {@code max-event-bytes} takes microseconds,
 * and publishing hands the record to the publisher's send thread and returns a future, so no thread
 * waits for Kafka.
 */
@Secured({Roles.INGEST, Roles.ADMIN})
@Controller
@Tag(name = "events")
final class EventController {

  private final PublishResponses responses;
  private final EventBodies bodies;
  private final TimeBasedEpochGenerator ids;
  private final Clock clock;

  EventController(
      PublishResponses responses, EventBodies bodies, TimeBasedEpochGenerator ids, Clock clock) {
    this.responses = responses;
    this.bodies = bodies;
    this.ids = ids;
    this.clock = clock;
  }

  @Post("/tweets")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish one tweet",
      description =
          "Answers 202 once Kafka acknowledged the tweet (acks=all, idempotent producer). A retry"
              + " with the same id stores one row.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TweetRequest.class)))
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the tweet",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Not JSON, or invalid fields, each named in errors; nothing was published",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "The body is over shardpipe.ingest.max-event-bytes (max_bytes)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "Content-Type is not application/json",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Kafka did not acknowledge in time (kafka-unavailable, with the id to retry with) or too many events are in flight (ingest-overloaded); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  CompletableFuture<HttpResponse<Published>> postTweet(@Body byte[] body) {
    Instant now = clock.instant();
    return responses.one(
        bodies.single(
            body,
            EventType.TWEET,
            node -> EventReader.readTweet(node, Op.UPSERT, ids::generate, now)));
  }

  @Post("/files")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish one file's metadata",
      description =
          "Answers 202 once Kafka acknowledged the file (acks=all, idempotent producer). A retry"
              + " with the same id stores one row.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = FileRequest.class)))
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the file",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Not JSON, or invalid fields, each named in errors; nothing was published",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "The body is over shardpipe.ingest.max-event-bytes (max_bytes)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "Content-Type is not application/json",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Kafka did not acknowledge in time (kafka-unavailable, with the id to retry with) or too many events are in flight (ingest-overloaded); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  CompletableFuture<HttpResponse<Published>> postFile(@Body byte[] body) {
    Instant now = clock.instant();
    return responses.one(
        bodies.single(
            body,
            EventType.FILE,
            node -> EventReader.readFile(node, Op.UPSERT, ids::generate, now)));
  }

  @Delete("/tweets/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Delete a tweet",
      description =
          "Publishes a delete event; the shard key (location, owner_id) routes it to the tweet's"
              + " partition. The row is removed unless it is newer than occurred_at, and a"
              + " tombstone keeps an older upsert from bringing it back.")
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the delete",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Not JSON, or invalid fields, each named in errors; nothing was published",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Kafka did not acknowledge in time (kafka-unavailable, with the id to retry with) or too many events are in flight (ingest-overloaded); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  CompletableFuture<HttpResponse<Published>> deleteTweet(
      @PathVariable UUID id,
      @QueryValue @Nullable @Schema(description = "the tweet's location, 1 to 64 characters")
          String location,
      @QueryValue("owner_id") @Nullable @Schema(description = "the tweet's owner, >= 0")
          Long ownerId,
      @QueryValue("occurred_at")
          @Nullable
          @Schema(description = "RFC 3339 instant of the delete; now when absent")
          String occurredAt) {
    Map<String, JsonNode> fields = fields(id, occurredAt);
    put(fields, "location", location);
    if (ownerId != null) {
      fields.put("owner_id", JsonNode.createNumberNode(ownerId));
    }
    Instant now = clock.instant();
    return responses.one(
        bodies.parameters(
            fields,
            EventType.TWEET,
            node -> EventReader.readTweet(node, Op.DELETE, ids::generate, now)));
  }

  @Delete("/files/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Delete a file's metadata",
      description =
          "Publishes a delete event; user_id routes it to the file's partition. The row is"
              + " removed unless it is newer than occurred_at.")
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged the delete",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Not JSON, or invalid fields, each named in errors; nothing was published",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Kafka did not acknowledge in time (kafka-unavailable, with the id to retry with) or too many events are in flight (ingest-overloaded); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  CompletableFuture<HttpResponse<Published>> deleteFile(
      @PathVariable UUID id,
      @QueryValue("user_id") @Nullable @Schema(description = "the file's owner, >= 0") Long userId,
      @QueryValue("occurred_at")
          @Nullable
          @Schema(description = "RFC 3339 instant of the delete; now when absent")
          String occurredAt) {
    Map<String, JsonNode> fields = fields(id, occurredAt);
    if (userId != null) {
      fields.put("user_id", JsonNode.createNumberNode(userId));
    }
    Instant now = clock.instant();
    return responses.one(
        bodies.parameters(
            fields,
            EventType.FILE,
            node -> EventReader.readFile(node, Op.DELETE, ids::generate, now)));
  }

  /**
   * Starts the fields of a delete from its path and query: they are checked by the same rules, with
   * the same names, as a body's.
   */
  private static Map<String, JsonNode> fields(UUID id, @Nullable String occurredAt) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("id", JsonNode.createStringNode(id.toString()));
    put(fields, "occurred_at", occurredAt);
    return fields;
  }

  private static void put(Map<String, JsonNode> fields, String name, @Nullable String value) {
    if (value != null) {
      fields.put(name, JsonNode.createStringNode(value));
    }
  }
}
