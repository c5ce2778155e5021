package dev.shardpipe.ingest.http;

import dev.shardpipe.http.problem.Problem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error answers of the publishing endpoints in the OpenAPI document, declared once for every
 * event kind: each is an {@code application/problem+json} body (docs/ingest-api.md, "Errors"). One
 * annotation per shape of endpoint, since a delete has no body to be too large and a batch's limits
 * are other settings. The routes of {@link CollectionController} add {@link UnknownCollection}.
 */
final class PublishErrors {

  private PublishErrors() {}

  /** {@code POST /<kind>}: one event in a JSON body. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
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
  @interface Single {}

  /** {@code DELETE /<kind>/{id}}: a delete from its path and query. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
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
  @interface Delete {}

  /** {@code POST /<kind>/batch}: a JSON array or NDJSON. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "400",
      description = "Not JSON, too many items, or invalid items named [index].field",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "The body is over micronaut.server.max-request-size (max_bytes)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "Kafka did not acknowledge every item in time; retry with ids",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @interface Batch {}

  /** {@code /{collection}} routes: a collection no kind has. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "404",
      description = "No event kind has this collection; the detail lists those that exist",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @interface UnknownCollection {}

  /** {@code POST /ingest/bulk}: synthetic events, no body. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "400",
      description = "count is not 1 to shardpipe.ingest.max-bulk-count, or type is unknown",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "Switched off (shardpipe.ingest.bulk-enabled=false)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "Kafka did not acknowledge every event in time",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @interface Bulk {}
}
