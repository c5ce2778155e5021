package dev.shardpipe.ingest.http;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.generator.EventIds;
import dev.shardpipe.generator.OccurredAt;
import dev.shardpipe.generator.TweetTexts;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.config.IngestConfiguration;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /ingest/bulk?count=N&type=tweet|file} (docs/contract.md §6): generates N synthetic
 * events and publishes them like a batch, for demo load.
 *
 * <p>Generation runs on the I/O executor, not the event loop: Datafaker takes tens of microseconds
 * per event, so 10 000 events would stall every connection of a loop for a noticeable time. The
 * thread is released once the events are handed to the publisher; it does not wait for Kafka.
 *
 * <p>{@code shardpipe.ingest.bulk-enabled=false} switches it off: it then answers {@code 404}, as
 * an endpoint that is not there, so a deployment without demo load offers none of it.
 */
@Secured(Roles.ADMIN)
@Controller("/ingest")
@Tag(name = "demo")
final class BulkController {

  /**
   * The locations tweets come from: both of the default routing's ranges and one that is in none,
   * so that every partition receives events.
   */
  private static final String[] LOCATIONS = {"europe", "usa", "asia"};

  /** Lorem ipsum of 12 to 17 words. */
  private static final TweetTexts TEXTS = TweetTexts.lorem(12, 12);

  private final PublishResponses responses;
  private final TimeBasedEpochGenerator ids;
  private final Clock clock;
  private final int maxCount;
  private final boolean enabled;

  BulkController(
      PublishResponses responses,
      TimeBasedEpochGenerator ids,
      Clock clock,
      IngestConfiguration config) {
    this.responses = responses;
    this.ids = ids;
    this.clock = clock;
    this.maxCount = config.maxBulkCount();
    this.enabled = config.bulkEnabled();
  }

  @Post("/bulk")
  @Produces(MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Operation(
      summary = "Publish N synthetic events (demo load)",
      description =
          "Generates count valid tweets or files with Datafaker and publishes them; 202 once"
              + " Kafka acknowledged every one.")
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged every synthetic event",
      content = @Content(schema = @Schema(implementation = BulkAccepted.class)))
  @PublishErrors.Bulk
  CompletableFuture<HttpResponse<BulkAccepted>> bulk(
      @QueryValue @Schema(description = "how many events, 1 to shardpipe.ingest.max-bulk-count")
          int count,
      @QueryValue(defaultValue = "tweet") @Schema(description = "tweet (default) or file")
          String type) {
    if (!enabled) {
      throw ProblemException.notFound("synthetic events are switched off on this server");
    }
    EventKind eventType = EventKind.fromWireName(type);
    // The generator makes tweets and files only: another kind's demo rows would be files.
    if (eventType != EventKind.TWEET && eventType != EventKind.FILE) {
      throw ProblemException.invalid(
          "the bulk request is invalid",
          List.of(new Violation("type", "must be \"tweet\" or \"file\"")));
    }
    if (count < 1 || count > maxCount) {
      throw ProblemException.invalid(
          "the bulk request is invalid",
          List.of(new Violation("count", "must be 1 to " + maxCount + ", was " + count)));
    }
    List<Event> events =
        EventGenerator.builder(ThreadLocalRandom.current().nextLong())
            .ids(EventIds.from(ids::generate))
            .occurredAt(OccurredAt.now(clock))
            .tweetShare(eventType == EventKind.TWEET ? 1 : 0)
            .locations(LOCATIONS)
            .texts(TEXTS)
            // Fresh values for each event: a pool would cost as much to fill as the request.
            .pool(0)
            .build()
            .next(count);
    return responses.bulk(eventType, events);
  }
}
