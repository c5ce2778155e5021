package dev.shardpipe.writer.consume;

import dev.shardpipe.writer.consume.ShardWriter.State;
import io.micronaut.core.annotation.Nullable;

/**
 * What the writer's pieces tell each other across threads: where the writer is in its life, its
 * last error, whether it is stopping or failing, and whether the assignment must be followed again
 * before the next poll.
 */
final class LoopState {

  private volatile State state = State.STARTING;
  private volatile @Nullable String lastError;
  private volatile boolean stopping;
  private volatile boolean failing;
  private volatile boolean reassign;

  State state() {
    return state;
  }

  @Nullable
  String lastError() {
    return lastError;
  }

  void running() {
    state = State.RUNNING;
  }

  /** An attempt failed and may be retried: {@code /health} says so until one succeeds. */
  void retrying(Throwable failure) {
    state = State.RETRYING;
    lastError = failure.toString();
  }

  /** An operation succeeded after retries. */
  void recovered() {
    if (state == State.RETRYING) {
      state = State.RUNNING;
      lastError = null;
    }
  }

  void stopped() {
    state = State.STOPPED;
  }

  void failed(Throwable failure) {
    state = State.FAILED;
    lastError = failure.toString();
  }

  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  /** One partition failed for good: the others stop retrying. */
  void failing() {
    failing = true;
  }

  /** Whether retrying is pointless: the writer stops, or fails for another partition. */
  boolean givingUp() {
    return stopping || failing;
  }

  boolean reassignRequested() {
    return reassign;
  }

  /** Follow the catalog before the next poll, whatever its version. */
  void requestReassign() {
    reassign = true;
  }

  void reassigning() {
    reassign = false;
  }
}
