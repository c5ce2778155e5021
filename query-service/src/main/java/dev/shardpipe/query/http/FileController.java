package dev.shardpipe.query.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.query.shard.FileRow;
import dev.shardpipe.query.shard.ShardReader;
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
import java.util.ArrayList;
import java.util.List;
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

  private final PlacementSource placements;
  private final ShardReader reader;
  private final CursorCodec cursors;
  private final Pages pages;
  private final QueryConfiguration config;
  private final ReadAfter tokens;

  FileController(
      PlacementSource placements,
      ShardReader reader,
      CursorCodec cursors,
      Pages pages,
      QueryConfiguration config,
      ReadAfter tokens) {
    this.placements = placements;
    this.reader = reader;
    this.cursors = cursors;
    this.pages = pages;
    this.config = config;
    this.tokens = tokens;
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
    List<Violation> violations = new ArrayList<>();
    Long user = Params.id("user_id", userId, violations);
    boolean filtersValid = violations.isEmpty();
    int size = Params.limit(limit, config.defaultLimit(), config.maxLimit(), violations);
    CursorScope scope = CursorScope.of("files").with("user_id", user);
    Keyset after = Params.cursor(cursors, scope, filtersValid, cursor, violations);
    ReadToken token = tokens.token(readAfter, readAfterHeader, violations);
    Params.requireValid(violations);
    return tokens.then(
        token,
        () ->
            pages.page(
                "the files",
                scope,
                size,
                reader.files(placements.current(), user, after, size + 1),
                row -> new Keyset(row.occurredAt(), row.id())));
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
    List<Violation> violations = new ArrayList<>();
    Long user = Params.id("user_id", userId, violations);
    ReadToken token = tokens.token(readAfter, readAfterHeader, violations);
    Params.requireValid(violations);
    return tokens.then(
        token, () -> pages.one("file with id " + id, reader.file(placements.current(), id, user)));
  }
}
