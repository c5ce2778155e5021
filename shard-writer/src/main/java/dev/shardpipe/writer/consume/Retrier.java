package dev.shardpipe.writer.consume;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.shardpipe.store.SqlErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of the writer's database or Kafka operations until it succeeds: a retriable failure
 * ({@link #isRetriable}) is retried with capped exponential backoff, without limit, until the
 * operation succeeds or the writer stops; anything else ends the attempt at once as a {@link
 * ShardWriter.WriterFailure}. Every failed attempt is reported to the writer, which shows it in
 * {@code /health} meanwhile. Thread-safe: partitions retry in parallel, each on its own thread.
 */
final class Retrier {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final BooleanSupplier abort;
  private final Consumer<Throwable> failedAttempt;

  /**
   * Creates the retrier of one shard's writer.
   *
   * @param shard the shard's name, for log lines and failures
   * @param initialBackoff the wait before the first retry, doubled after each until {@code
   *     maxBackoff}
   * @param maxBackoff the longest wait between two attempts
   * @param abort tells when to give up retrying: the writer is stopping, or failing for another
   *     reason; the last failure is then thrown as a {@link ShardWriter.WriterFailure}
   * @param failedAttempt told of every failed attempt, retriable or not
   */
  Retrier(
      String shard,
      Duration initialBackoff,
      Duration maxBackoff,
      BooleanSupplier abort,
      Consumer<Throwable> failedAttempt) {
    this.shard = shard;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.abort = abort;
    this.failedAttempt = failedAttempt;
  }

  /**
   * Runs the action until it succeeds or fails for good.
   *
   * @param <T> what the action returns
   * @param partition the partition the action concerns, or -1 for none
   * @param what the action, as the log lines and the failure name it ({@code committing offsets
   *     1200..1999})
   * @param action the action
   * @return the action's result
   * @throws ShardWriter.WriterFailure if the action failed for good, or was given up because the
   *     writer stops
   * @throws InterruptedException if interrupted while waiting
   */
  <T> T call(int partition, String what, CheckedSupplier<T> action) throws InterruptedException {
    RetryPolicy<T> policy =
        RetryPolicy.<T>builder()
            .handleIf(Retrier::isRetriable)
            .withBackoff(initialBackoff, maxBackoff)
            .withMaxRetries(-1)
            .abortIf((result, failure) -> abort.getAsBoolean())
            .onFailedAttempt(event -> failedAttempt.accept(event.getLastException()))
            .onRetry(
                event ->
                    LOG.warn(
                        "shard [{}] partition [{}]: {} failed, Retry {} (unbounded): {}",
                        shard,
                        partition < 0 ? "-" : partition,
                        what,
                        event.getAttemptCount(),
                        event.getLastException().toString()))
            .build();
    Throwable cause;
    try {
      return Failsafe.with(policy).get(action);
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      cause = e.getCause();
    } catch (RuntimeException e) {
      cause = e;
    }
    throw new ShardWriter.WriterFailure(
        "shard ["
            + shard
            + "] partition ["
            + (partition < 0 ? "-" : partition)
            + "]: "
            + what
            + " failed: "
            + cause,
        cause);
  }

  /**
   * Tells the errors that go away by themselves: Kafka's {@link RetriableException}s and the
   * database errors {@link SqlErrors#isRetriable} names, found anywhere in the cause chain (Flyway
   * and the producer's future wrap them).
   *
   * @param failure the error
   * @return true when retrying the same operation later can succeed
   */
  static boolean isRetriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
      if (t instanceof SQLException sql && SqlErrors.isRetriable(sql)) {
        return true;
      }
      if (t instanceof ExecutionException && t.getCause() == null) {
        return false;
      }
    }
    return false;
  }
}
