package dev.shardpipe.query.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.http.KindReads.Filter;
import dev.shardpipe.query.shard.DataRow;
import dev.shardpipe.query.shard.KindTable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
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
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code GET /{collection}} and {@code GET /{collection}/{id}} for every event kind, read through
 * {@link KindTable#of(EventKind)} (docs/query-service.md, "Every kind's collection"): a kind needs
 * no controller of its own to be read. The key-field query parameters are the kind's key fields by
 * wire name, checked as on a kind's own routes.
 *
 * <p>A literal route wins over these, whatever the order the routes were found in: Micronaut
 * prefers the template with the longer literal part. {@code /tweets} and {@code /files} are
 * therefore still answered by their own controllers, with their typed rows; the answers are the
 * same bytes. Static resources are served only when no route matches, so the collection's pattern
 * leaves out the first segments of the static resource mappings of {@code application.yml}.
 */
@Secured({Roles.READ, Roles.ADMIN})
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "collections")
final class CollectionController {

  /**
   * The collection segment: any segment but the first of a static resource mapping ({@code
   * /swagger/**}, {@code /swagger-ui/**}, {@code /console/**}), which would otherwise be routed
   * here instead of served. The template parser splits a variable's pattern at {@code :} and {@code
   * ,}, and a capturing group would shift the variables' groups, so the pattern has none.
   */
  static final String COLLECTION =
      "{collection:(?!swagger/|swagger$|swagger-ui/|swagger-ui$|console/|console$)[^/]+}";

  private static final String COLLECTIONS =
      Arrays.stream(EventKind.values())
          .map(EventKind::collection)
          .collect(Collectors.joining(", "));

  private final KindReads reads;

  CollectionController(KindReads reads) {
    this.reads = reads;
  }

  /**
   * Lists a collection's rows newest first, by {@code occurred_at} then {@code id}, both
   * descending, filtered by its kind's key fields given as query parameters; a whole shard key
   * reads the one partition it routes to. Errors as for {@code GET /tweets}, and {@code 404} when
   * no kind has the collection.
   */
  @Get("/" + COLLECTION)
  @Operation(
      summary = "List a collection's rows newest first",
      description =
          "For every event kind, by its collection (tweets, files). The kind's key fields are query"
              + " parameters by wire name (location and owner_id for tweets, user_id for files): a"
              + " whole shard key reads the one partition it routes to; a leading location alone"
              + " the shards of its partitions; otherwise every shard, merged newest first"
              + " (occurred_at, then id, both descending). Follow next_cursor for the next page."
              + " /tweets and /files answer the same through their own routes.")
  @ApiResponse(
      responseCode = "200",
      description =
          "A page; partial with missing_shards when a shard the read needs did not answer")
  @ApiResponse(
      responseCode = "400",
      description = "A bad key field, limit or cursor, each named in errors",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No event kind has the collection; the detail names the collections",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.List
  CompletableFuture<Page<DataRow>> list(
      @Parameter(description = "The collection of an event kind, such as tweets or files")
          @PathVariable("collection")
          String collection,
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
          String readAfterHeader,
      HttpRequest<?> request) {
    EventKind kind = kind(collection);
    return reads.list(
        KindTable.of(kind),
        limit,
        cursor,
        readAfter,
        readAfterHeader,
        key(kind, request.getParameters()));
  }

  /**
   * Returns one row of a collection. With its kind's whole shard key as query parameters only the
   * shard it routes to is asked; without it every shard is. {@code 404} when no kind has the
   * collection or no shard asked has the row; otherwise errors as for {@code GET /tweets/{id}}.
   */
  @Get("/" + COLLECTION + "/{id}")
  @Operation(
      summary = "Get one row of a collection",
      description =
          "With the kind's whole shard key as query parameters (location and owner_id for tweets,"
              + " user_id for files) only the shard it routes to is asked; without it every shard"
              + " is asked in parallel. /tweets/{id} and /files/{id} answer the same through their"
              + " own routes.")
  @ApiResponse(
      responseCode = "200",
      description = "The row",
      content = @Content(schema = @Schema(implementation = DataRow.class)))
  @ApiResponse(
      responseCode = "400",
      description = "The id is not a UUID, or a key field is bad, or only part of the key is given",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No event kind has the collection, or no shard asked holds the row",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ReadErrors.One
  CompletableFuture<DataRow> get(
      @Parameter(description = "The collection of an event kind, such as tweets or files")
          @PathVariable("collection")
          String collection,
      @PathVariable("id") UUID id,
      @Parameter(
              description =
                  "A read token from ingest-api's 202: answer only once its writes are applied")
          @QueryValue(ReadAfter.PARAMETER)
          @Nullable
          String readAfter,
      @Parameter(description = "The read token, as the header instead of read_after")
          @Header(ReadAfter.HEADER)
          @Nullable
          String readAfterHeader,
      HttpRequest<?> request) {
    EventKind kind = kind(collection);
    return reads.one(
        KindTable.of(kind), id, readAfter, readAfterHeader, key(kind, request.getParameters()));
  }

  private static EventKind kind(String collection) {
    for (EventKind kind : EventKind.values()) {
      if (kind.collection().equals(collection)) {
        return kind;
      }
    }
    throw ProblemException.notFound(
        "no collection " + collection + "; the collections are " + COLLECTIONS);
  }

  /** The kind's key fields as query parameters, in key order; absent ones as null. */
  private static Filter[] key(EventKind kind, HttpParameters parameters) {
    return kind.keyFields().stream()
        .map(field -> new Filter(field.name(), parameters.get(field.name())))
        .toArray(Filter[]::new);
  }
}
