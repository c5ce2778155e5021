package dev.shardpipe.query.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.query.http.KindReads.Filter;
import dev.shardpipe.query.shard.KindTable;
import dev.shardpipe.query.shard.TweetRow;
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
 * {@code GET /tweets} and {@code GET /tweets/{id}} (docs/query-service.md). Runs on the blocking
 * executor because the shards are read with JDBC. Each request takes the current placement once and
 * reads every shard with it.
 */
@Secured({Roles.READ, Roles.ADMIN})
@Controller("/tweets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tweets")
final class TweetController {

  private final KindReads reads;

  TweetController(KindReads reads) {
    this.reads = reads;
  }

  /**
   * Lists tweets newest first, by {@code occurred_at} then {@code id}, both descending. {@code
   * owner_id} with {@code location} reads the one partition they route to; {@code location} alone
   * reads its partitions' shards; otherwise every shard is read and the results merged.
   *
   * <p>{@code 400} names each bad parameter: {@code owner_id} not an integer {@code >= 0}, {@code
   * location} not 1 to 64 characters, {@code limit} outside 1 to {@code max-limit}, {@code cursor}
   * malformed, altered, or from a query with other filters. {@code 503} when no shard the read
   * needs answers; when only some do, the page has {@code "partial": true} and {@code
   * missing_shards}.
   */
  @Get
  @Operation(
      summary = "List tweets newest first",
      description =
          "owner_id with location reads the one partition they route to; location alone the shards"
              + " of its partitions; otherwise every shard, merged newest first (occurred_at, then"
              + " id, both descending). Follow next_cursor for the next page.")
  @ApiResponse(
      responseCode = "200",
      description =
          "A page; partial with missing_shards when a shard the read needs did not answer")
  @ApiResponse(
      responseCode = "400",
      description = "A bad owner_id, location, limit or cursor, each named in errors",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.List
  CompletableFuture<Page<TweetRow>> list(
      @Parameter(description = "Only this author's tweets, an integer >= 0")
          @QueryValue("owner_id")
          @Nullable
          String ownerId,
      @Parameter(description = "Only tweets from this location, 1 to 64 characters, exact")
          @QueryValue("location")
          @Nullable
          String location,
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
        KindTable.TWEETS,
        limit,
        cursor,
        readAfter,
        readAfterHeader,
        new Filter("owner_id", ownerId),
        new Filter("location", location));
  }

  /**
   * Returns one tweet. With {@code owner_id} and {@code location}, its shard key, only the shard
   * they route to is asked; without them every shard is, since an id does not tell its shard.
   * {@code 404} when no shard asked has it (with a key: none with that id and key); {@code 503}
   * when none has it but a shard did not answer; {@code 400} for a bad id or key, or half a key.
   */
  @Get("/{id}")
  @Operation(
      summary = "Get one tweet",
      description =
          "With owner_id and location (its shard key) only the shard they route to is asked;"
              + " without them every shard is asked in parallel.")
  @ApiResponse(
      responseCode = "200",
      description = "The tweet",
      content = @Content(schema = @Schema(implementation = TweetRow.class)))
  @ApiResponse(
      responseCode = "400",
      description = "The id is not a UUID, or owner_id or location is bad or given alone",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No shard asked holds the tweet",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.One
  CompletableFuture<TweetRow> get(
      @PathVariable("id") UUID id,
      @Parameter(description = "The tweet's author; with location, routes to one shard")
          @QueryValue("owner_id")
          @Nullable
          String ownerId,
      @Parameter(description = "The tweet's location; with owner_id, routes to one shard")
          @QueryValue("location")
          @Nullable
          String location,
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
        KindTable.TWEETS,
        id,
        readAfter,
        readAfterHeader,
        new Filter("owner_id", ownerId),
        new Filter("location", location));
  }
}
