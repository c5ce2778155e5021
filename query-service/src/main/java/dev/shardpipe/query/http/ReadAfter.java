package dev.shardpipe.query.http;

import dev.shardpipe.core.event.Violation;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.token.InvalidReadTokenException;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.readafter.AppliedWaits;
import dev.shardpipe.query.readafter.NotYetAppliedException;
import dev.shardpipe.query.readafter.ReadAfterConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * {@code read_after=<token>}, or the header {@value #HEADER}, on every read: the read runs once the
 * shards owning the token's partitions have applied past its offsets (docs/query-service.md). No
 * thread waits meanwhile: the read is a continuation of {@link AppliedWaits}'s future, run on the
 * blocking executor because it uses JDBC.
 */
@Singleton
final class ReadAfter {

  /** The header that may carry the token instead of the query parameter: {@value}. */
  static final String HEADER = "Shardpipe-Read-After";

  /** The query parameter of the token: {@value}. */
  static final String PARAMETER = "read_after";

  private final ReadTokenCodec codec;
  private final AppliedWaits waits;
  private final PlacementSource placements;
  private final ExecutorService blocking;
  private final Duration timeout;

  ReadAfter(
      ReadTokenCodec codec,
      AppliedWaits waits,
      PlacementSource placements,
      @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
      ReadAfterConfiguration config) {
    this.codec = codec;
    this.waits = waits;
    this.placements = placements;
    this.blocking = blocking;
    this.timeout = config.readAfterTimeout();
  }

  /**
   * Reads the token from the query parameter or the header; both may be given if they are equal.
   *
   * @return the token, or null when neither is given; null too after adding a violation under
   *     {@value #PARAMETER} when it is malformed, forged, or names a partition the topic lacks
   */
  @Nullable
  ReadToken token(@Nullable String parameter, @Nullable String header, List<Violation> violations) {
    if (parameter != null && header != null && !parameter.equals(header)) {
      violations.add(
          new Violation(PARAMETER, "differs from the " + HEADER + " header; send one token"));
      return null;
    }
    String text = parameter != null ? parameter : header;
    if (text == null) {
      return null;
    }
    ReadToken token;
    try {
      token = codec.decode(text.strip());
    } catch (InvalidReadTokenException e) {
      violations.add(new Violation(PARAMETER, e.getMessage()));
      return null;
    }
    int partitions = placements.current().partitions();
    for (int partition : token.offsets().keySet()) {
      if (partition >= partitions) {
        violations.add(
            new Violation(
                PARAMETER, "names partition " + partition + ", but the topic has " + partitions));
        return null;
      }
    }
    return token;
  }

  /**
   * Runs a read once a token's offsets are applied, or at once without a token.
   *
   * @param token the token, or null
   * @param read the read; it takes the current placement itself, so it asks the shards that own the
   *     partitions after the wait
   * @return the read's answer; fails with a {@code 503 not-yet-applied} problem with {@code
   *     Retry-After} when the offsets were not applied within {@code read-after-timeout}
   */
  <T> CompletableFuture<T> then(@Nullable ReadToken token, Supplier<T> read) {
    if (token == null) {
      return CompletableFuture.completedFuture(read.get());
    }
    return waits
        .await(token)
        .thenApplyAsync(applied -> read.get(), blocking)
        .exceptionallyCompose(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof NotYetAppliedException behind) {
                return CompletableFuture.failedFuture(notYetApplied(behind.partitions()));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  private ProblemException notYetApplied(List<Integer> partitions) {
    return ProblemException.unavailable(
        "not-yet-applied",
        "Not yet applied",
        "the shards have not applied the writes of read_after in partition(s) "
            + partitions
            + " within "
            + timeout.toMillis()
            + " ms; retry the same read after Retry-After",
        timeout,
        Map.of("partitions", partitions));
  }
}
