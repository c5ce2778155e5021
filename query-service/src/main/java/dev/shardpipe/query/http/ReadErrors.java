package dev.shardpipe.query.http;

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
 * The {@code 503} answers of the reads in the OpenAPI document, declared once for every event kind:
 * each is an {@code application/problem+json} body (docs/query-service.md). The {@code 400} and
 * {@code 404} stay on each endpoint, since they name the kind's parameters.
 */
final class ReadErrors {

  private ReadErrors() {}

  /** {@code GET /<kind>}: a list read from the shards it needs. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "503",
      description = "No shard the read needs answered (shard-unavailable); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "read_after's writes were not applied within shardpipe.query.read-after-timeout"
              + " (not-yet-applied); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @interface List {}

  /** {@code GET /<kind>/{id}}: a lookup on the shards that may hold the row. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "503",
      description = "Not found on the shards that answered, and a shard did not answer",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "read_after's writes were not applied within shardpipe.query.read-after-timeout"
              + " (not-yet-applied); see Retry-After",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @interface One {}
}
