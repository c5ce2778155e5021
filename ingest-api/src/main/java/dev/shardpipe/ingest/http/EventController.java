package dev.shardpipe.ingest.http;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.InvalidEventException;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.publish.EventPublisher;
import dev.shardpipe.ingest.publish.Published;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * {@code POST /tweets} and {@code POST /files} (SPEC 6): validate one event, publish it, and answer
 * {@code 202} with where Kafka stored it only after Kafka acknowledged it.
 *
 * <p>Runs on the blocking executor because {@code KafkaProducer.send} can block while it fetches
 * metadata (up to {@code max.block.ms}); the acknowledgement itself is awaited without a thread.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class EventController {

  /** How long a client should wait before retrying after a {@code 503}. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final EventPublisher publisher;
  private final TimeBasedEpochGenerator ids;
  private final Clock clock;

  EventController(EventPublisher publisher, TimeBasedEpochGenerator ids, Clock clock) {
    this.publisher = publisher;
    this.ids = ids;
    this.clock = clock;
  }

  @Post("/tweets")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  CompletableFuture<HttpResponse<Published>> postTweet(@Body @Nullable JsonNode body) {
    try {
      return accept(EventReader.readTweet(body, Op.UPSERT, ids::generate, clock.instant()));
    } catch (InvalidEventException e) {
      throw ProblemException.invalid("the tweet is invalid", e.violations());
    }
  }

  @Post("/files")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  CompletableFuture<HttpResponse<Published>> postFile(@Body @Nullable JsonNode body) {
    try {
      return accept(EventReader.readFile(body, Op.UPSERT, ids::generate, clock.instant()));
    } catch (InvalidEventException e) {
      throw ProblemException.invalid("the file is invalid", e.violations());
    }
  }

  private CompletableFuture<HttpResponse<Published>> accept(Event event) {
    return publisher
        .publish(event)
        .<HttpResponse<Published>>thenApply(published -> HttpResponse.accepted().body(published))
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (cause instanceof RetriableException) {
                throw ProblemException.unavailable(
                    "kafka-unavailable",
                    "Kafka unavailable",
                    "Kafka did not acknowledge the event; it may or may not be stored, so retry"
                        + " with the same id",
                    RETRY_AFTER,
                    Map.of("id", event.id().toString()));
              }
              throw new IllegalStateException("publishing event " + event.id() + " failed", cause);
            });
  }
}
