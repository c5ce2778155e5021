package dev.shardpipe.ingest.http;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /tweets/batch} and {@code POST /files/batch} (docs/contract.md §6): up to {@code
 * max-batch-items} events as a JSON array or NDJSON. The batch is validated whole before anything
 * is sent; any invalid item answers {@code 400} naming each bad item as {@code [index].field}.
 * {@code 202} means Kafka acknowledged every item.
 *
 * <p>Runs on the event loop: parsing and checking a batch of 1 000 items takes about a millisecond,
 * less than a hop to another pool would cost under load, and no thread waits for Kafka. The body is
 * bounded by {@code micronaut.server.max-request-size}.
 */
@Secured({Roles.INGEST, Roles.ADMIN})
@Controller
@Tag(name = "events")
final class BatchController {

  private final KindRequests requests;

  BatchController(KindRequests requests) {
    this.requests = requests;
  }

  @Post("/tweets/batch")
  @Consumes({MediaType.APPLICATION_JSON, EventBodies.NDJSON})
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish up to 10 000 tweets",
      description =
          "A JSON array of tweets, or NDJSON (one tweet per line). Validated whole first: any"
              + " invalid item answers 400 with every error named [index].field, and nothing is"
              + " published. 202 once Kafka acknowledged every item. On 503, retry the whole"
              + " batch with the ids the problem lists.")
  @RequestBody(
      required = true,
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            array =
                @ArraySchema(
                    maxItems = 10_000,
                    schema = @Schema(implementation = TweetRequest.class))),
        @Content(
            mediaType = EventBodies.NDJSON,
            schema =
                @Schema(
                    type = "string",
                    format = "ndjson",
                    description = "one tweet object per line, as in the JSON array"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged every tweet",
      content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
  @PublishErrors.Batch
  CompletableFuture<HttpResponse<BatchAccepted>> postTweets(
      HttpRequest<?> request, @Body @Parameter(hidden = true) byte[] body) {
    return requests.batch(EventKind.TWEET, request, body);
  }

  @Post("/files/batch")
  @Consumes({MediaType.APPLICATION_JSON, EventBodies.NDJSON})
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Publish up to 10 000 files",
      description =
          "A JSON array of files, or NDJSON (one file per line), with the same rules as"
              + " /tweets/batch.")
  @RequestBody(
      required = true,
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            array =
                @ArraySchema(
                    maxItems = 10_000,
                    schema = @Schema(implementation = FileRequest.class))),
        @Content(
            mediaType = EventBodies.NDJSON,
            schema =
                @Schema(
                    type = "string",
                    format = "ndjson",
                    description = "one file object per line, as in the JSON array"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "Kafka acknowledged every file",
      content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
  @PublishErrors.Batch
  CompletableFuture<HttpResponse<BatchAccepted>> postFiles(
      HttpRequest<?> request, @Body @Parameter(hidden = true) byte[] body) {
    return requests.batch(EventKind.FILE, request, body);
  }
}
