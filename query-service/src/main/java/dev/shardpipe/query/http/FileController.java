package dev.shardpipe.query.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.query.http.KindReads.Filter;
import dev.shardpipe.query.shard.FileRow;
import dev.shardpipe.query.shard.KindTable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /files} and {@code GET /files/{id}} (docs/query-service.md). Runs on the blocking
 * executor because the shards are read with JDBC. Each request takes the current placement once and
 * reads every shard with it.
 */
@Secured({Roles.READ, Roles.ADMIN})
@Controller("/files")
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "files")
final class FileController {

  private final KindReads reads;

  FileController(KindReads reads) {
    this.reads = reads;
  }

  /**
   * Lists file metadata newest first, by {@code occurred_at} then {@code id}, both descending.
   * {@code user_id} reads the one partition, and shard, it routes to; without it every shard is
   * read and the results merged. Errors as for {@code GET /tweets}.
   */
  @Get
  @Operation(
      summary = "List file metadata newest first",
      description =
          "user_id reads the one partition, and shard, it routes to; otherwise every shard,"
              + " merged newest first (occurred_at, then id, both descending). Follow next_cursor"
              + " for the next page.")
  @ApiResponse(
      responseCode = "200",
      description =
          "A page; partial with missing_shards when a shard the read needs did not answer")
  @ApiResponse(
      responseCode = "400",
      description = "A bad user_id, limit or cursor, each named in errors",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.List
  CompletableFuture<Page<FileRow>> list(
      @Parameter(description = "Only this user's files, an integer >= 0")
          @QueryValue("user_id")
          @Nullable
          String userId,
      @Parameter(description = "Items per page, 1 to shardpipe.query.max-limit (1000); default 50")
          @QueryValue("limit")
          @Nullable
          String limit,
      @Parameter(description = "The next_cursor of the previous page, unchanged")
          @QueryValue("cursor")
          @Nullable
          String cursor,
      @Parameter(
              description =
                  "A read token from ingest-api's 202: answer only once its writes are applied")
          @QueryValue(ReadAfter.PARAMETER)
          @Nullable
          String readAfter,
      @Parameter(description = "The read token, as the header instead of read_after")
          @Header(ReadAfter.HEADER)
          @Nullable
          String readAfterHeader) {
    return reads.list(
        KindTable.FILES, limit, cursor, readAfter, readAfterHeader, new Filter("user_id", userId));
  }

  /**
   * Returns one file's metadata. With {@code user_id}, its shard key, only the shard it routes to
   * is asked; without it every shard is, since an id does not tell its shard. {@code 404} when no
   * shard asked has it (with {@code user_id}: none of that user); {@code 503} when none has it but
   * a shard did not answer; {@code 400} for a bad id or {@code user_id}.
   */
  @Get("/{id}")
  @Operation(
      summary = "Get one file's metadata",
      description =
          "With user_id (its shard key) only the shard it routes to is asked; without it every"
              + " shard is asked in parallel.")
  @ApiResponse(
      responseCode = "200",
      description = "The file's metadata",
      content = @Content(schema = @Schema(implementation = FileRow.class)))
  @ApiResponse(
      responseCode = "400",
      description = "The id is not a UUID, or user_id is not an integer >= 0",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No shard asked holds the file",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.One
  CompletableFuture<FileRow> get(
      @PathVariable("id") UUID id,
      @Parameter(description = "The file's user; routes to one shard")
          @QueryValue("user_id")
          @Nullable
          String userId,
      @Parameter(
              description =
                  "A read token from ingest-api's 202: answer only once its writes are applied")
          @QueryValue(ReadAfter.PARAMETER)
          @Nullable
          String readAfter,
      @Parameter(description = "The read token, as the header instead of read_after")
          @Header(ReadAfter.HEADER)
          @Nullable
          String readAfterHeader) {
    return reads.one(
        KindTable.FILES, id, readAfter, readAfterHeader, new Filter("user_id", userId));
  }
}
