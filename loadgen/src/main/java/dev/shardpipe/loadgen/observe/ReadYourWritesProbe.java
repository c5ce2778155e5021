package dev.shardpipe.loadgen.observe;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.loadgen.drive.Percentiles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Measures how long a client waits to read its own write: as soon as ingest-api acknowledges a
 * request, its last event is read back from query-service by id and shard key with the event's read
 * token as {@code read_after}, and the time from the {@code 202} to that read's {@code 200} is
 * recorded. query-service holds such a read until the event is applied (at most its {@code
 * read-after-timeout}), so the figure is what a client that writes and then reads sees, without
 * polling.
 *
 * <p>Reads run asynchronously beside the load, at most {@code maxInFlight} at once; a read that
 * would exceed that bound is skipped and counted, so a slow query-service cannot hold the load
 * back.
 */
public final class ReadYourWritesProbe {

  private final URI queryService;
  private final Semaphore slots;
  private final int maxInFlight;
  private final @Nullable String bearerToken;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Histogram micros = Percentiles.histogram();
  private final AtomicLong notApplied = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();

  /**
   * What the probe measured.
   *
   * @param latency milliseconds from the {@code 202} to the {@code 200} of the read with its token
   * @param notApplied reads answered {@code 503 not-yet-applied}: the writer was further behind
   *     than query-service waits
   * @param failed reads answered otherwise ({@code 404} included: the event was applied, so its row
   *     must be there) or not at all
   * @param skipped acknowledged requests not probed because {@code maxInFlight} reads were running
   * @param firstProblem the first read that did not answer {@code 200}, or null
   */
  @Serdeable
  public record Result(
      Percentiles latency,
      long notApplied,
      long failed,
      long skipped,
      @Nullable String firstProblem) {}

  /**
   * Prepares a probe.
   *
   * @param queryService query-service's address, such as {@code http://127.0.0.1:8081}
   * @param maxInFlight reads running at once, {@code >= 1}
   * @param bearerToken a bearer token of role read (or admin), or null when query-service runs
   *     without auth
   */
  public ReadYourWritesProbe(URI queryService, int maxInFlight, @Nullable String bearerToken) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
    this.queryService = queryService;
    this.maxInFlight = maxInFlight;
    this.slots = new Semaphore(maxInFlight);
    this.bearerToken = bearerToken;
  }

  /**
   * Reads one acknowledged event back with its token, without waiting for the answer.
   *
   * @param event the event ingest-api just acknowledged
   * @param token its read token from the {@code 202}
   */
  public void probe(Event event, String token) {
    if (!slots.tryAcquire()) {
      skipped.incrementAndGet();
      return;
    }
    long start = System.nanoTime();
    String path = VisibilityCheck.path(event) + "&read_after=" + URLEncoder.encode(token, UTF_8);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(queryService.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    if (bearerToken != null) {
      builder.header("Authorization", "Bearer " + bearerToken);
    }
    HttpRequest request = builder.build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              try {
                if (error == null && response.statusCode() == 200) {
                  Percentiles.record(micros, System.nanoTime() - start);
                } else if (error == null && response.statusCode() == 503) {
                  notApplied.incrementAndGet();
                  firstProblem.compareAndSet(null, path + " answered 503");
                } else {
                  failed.incrementAndGet();
                  firstProblem.compareAndSet(
                      null,
                      path + (error == null ? " answered " + response.statusCode() : ": " + error));
                }
              } finally {
                slots.release();
              }
            });
  }

  /**
   * Waits for the reads still running, then reads the figures.
   *
   * @param timeout the longest to wait for them
   * @return what was measured; reads still running after the timeout are left out
   * @throws InterruptedException if interrupted while waiting
   */
  public Result finish(Duration timeout) throws InterruptedException {
    if (slots.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      slots.release(maxInFlight);
    }
    return new Result(
        Percentiles.of(micros), notApplied.get(), failed.get(), skipped.get(), firstProblem.get());
  }
}
