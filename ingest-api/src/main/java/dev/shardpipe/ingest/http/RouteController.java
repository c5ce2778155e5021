package dev.shardpipe.ingest.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.InvalidEventException;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.http.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code GET /route?location=&owner_id=} and {@code GET /route?user_id=}: the partition and shard
 * an event with that shard key goes to, for producers that cannot use the Java partitioner
 * (docs/ingest-api.md#producing-from-other-languages). Read-only: nothing is published.
 *
 * <p>The answer comes from the code that places a published event, not from a copy of it: the
 * partition from the {@link Routing} built from the same {@code shardpipe.partitions} and {@code
 * shardpipe.tweet-locations} as the producer's partitioner, applied to the record key the publisher
 * sends, and the shard from the {@link PlacementSource} that names the shard of a {@code 202}. The
 * parameters are read by the rules of a delete, which carries only the shard key, so they are
 * refused exactly as there.
 *
 * <p>The roles are those that may publish: the answer is what a {@code 202} tells a producer, and a
 * {@code read} token is for query-service (docs/security.md). Runs on the event loop: it reads two
 * in-memory values.
 */
@Secured({Roles.INGEST, Roles.ADMIN})
@Controller
@Tag(name = "routing")
final class RouteController {

  /** The event is routed, never published, so its id and time are placeholders. */
  private static final Supplier<UUID> UNUSED_ID = () -> new UUID(0, 0);

  private static final String INVALID = "the request has invalid parameters";

  private static final String TWEET_OR_FILE =
      "give location and owner_id for a tweet, or user_id for a file";

  private final Routing routing;
  private final PlacementSource placements;

  RouteController(Routing routing, PlacementSource placements) {
    this.routing = routing;
    this.placements = placements;
  }

  @Get("/route")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Where an event with this shard key goes",
      description =
          "For a tweet give location and owner_id, for a file user_id. Answers the partition"
              + " routing picks (fixed for the life of the topic) and the shard that partition is"
              + " placed on now (it changes when the partition moves). Publishes nothing.")
  @ApiResponse(
      responseCode = "200",
      description = "The partition and its current shard",
      content = @Content(schema = @Schema(implementation = Route.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "Neither shard key, both, half of a tweet's, or a parameter that breaks its rule; each"
              + " named in errors",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  Route route(
      @Parameter(description = "A tweet's location, 1 to 64 characters, with owner_id")
          @QueryValue
          @Nullable
          String location,
      @Parameter(description = "A tweet's owner, an integer >= 0, with location")
          @QueryValue("owner_id")
          @Nullable
          Long ownerId,
      @Parameter(description = "A file's owner, an integer >= 0, alone")
          @QueryValue("user_id")
          @Nullable
          Long userId) {
    boolean tweet = location != null || ownerId != null;
    if (tweet && userId != null) {
      throw invalid(
          new Violation(
              "user_id", "must not be given with location or owner_id: " + TWEET_OR_FILE));
    }
    if (!tweet && userId == null) {
      throw invalid(new Violation("", TWEET_OR_FILE));
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    if (location != null) {
      fields.put("location", JsonNode.createStringNode(location));
    }
    if (ownerId != null) {
      fields.put("owner_id", JsonNode.createNumberNode(ownerId));
    }
    if (userId != null) {
      fields.put("user_id", JsonNode.createNumberNode(userId));
    }
    JsonNode key = JsonNode.createObjectNode(fields);
    Event event;
    try {
      event =
          tweet
              ? EventReader.readTweet(key, Op.DELETE, UNUSED_ID, Instant.EPOCH)
              : EventReader.readFile(key, Op.DELETE, UNUSED_ID, Instant.EPOCH);
    } catch (InvalidEventException e) {
      throw ProblemException.invalid(INVALID, e.violations());
    }
    // The producer's partitioner routes the record key, so the route does too.
    int partition = routing.partitionForKey(event.shardKey());
    return new Route(partition, placements.current().shardOf(partition));
  }

  private static ProblemException invalid(Violation violation) {
    return ProblemException.invalid(INVALID, List.of(violation));
  }
}
