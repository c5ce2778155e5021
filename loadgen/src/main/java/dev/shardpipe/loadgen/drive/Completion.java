package dev.shardpipe.loadgen.drive;

import io.micronaut.core.annotation.Nullable;

/**
 * Told about every answered request, on the thread that completed it.
 *
 * @param <R> what an answer is
 */
@FunctionalInterface
public interface Completion<R> {

  /**
   * Handles one answer.
   *
   * @param request the request
   * @param answer its answer, or null when it failed
   * @param error why it failed, or null
   * @param timing when it was due, left and was answered
   */
  void done(Request<R> request, @Nullable R answer, @Nullable Throwable error, Timing timing);
}
