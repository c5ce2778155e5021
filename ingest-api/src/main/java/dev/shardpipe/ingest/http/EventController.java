package dev.shardpipe.ingest.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventKind;
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
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /tweets}, {@code POST /files} and their deletes (docs/contract.md §6): validate one
 * event, publish it, and answer {@code 202} with where Kafka stored it only after Kafka
 * acknowledged it.
 *
 * <p>Runs on the event loop: reading a body of at most {@code max-event-bytes} takes microseconds,
 * and publishing hands the record to the publisher's send thread and returns a future, so no thread
 * waits for Kafka.
 */
@Secured({Roles.INGEST, Roles.ADMIN})
@Controller
@Tag(name = "events")
final class EventController {

  private final KindRequests requests;

  EventController(KindRequests requests) {
    this.requests = requests;
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
  @PublishErrors.Single
  CompletableFuture<HttpResponse<Published>> postTweet(@Body byte[] body) {
    return requests.upsert(EventKind.TWEET, body);
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
  @PublishErrors.Single
  CompletableFuture<HttpResponse<Published>> postFile(@Body byte[] body) {
    return requests.upsert(EventKind.FILE, body);
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
  @PublishErrors.Delete
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
    return requests.delete(EventKind.TWEET, id, occurredAt, location, ownerId);
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
  @PublishErrors.Delete
  CompletableFuture<HttpResponse<Published>> deleteFile(
      @PathVariable UUID id,
      @QueryValue("user_id") @Nullable @Schema(description = "the file's owner, >= 0") Long userId,
      @QueryValue("occurred_at")
          @Nullable
          @Schema(description = "RFC 3339 instant of the delete; now when absent")
          String occurredAt) {
    return requests.delete(EventKind.FILE, id, occurredAt, userId);
  }
}
