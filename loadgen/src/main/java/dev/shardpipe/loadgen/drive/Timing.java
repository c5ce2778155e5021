package dev.shardpipe.loadgen.drive;

/**
 * When one request was due, left and was answered, on {@link System#nanoTime()}'s scale.
 *
 * @param intendedNanos when it was due: the schedule's time at a fixed rate, else {@code
 *     startNanos}
 * @param startNanos when it left
 * @param endNanos when it was answered
 * @param measured whether it counts: due after the warm-up
 */
public record Timing(long intendedNanos, long startNanos, long endNanos, boolean measured) {

  /**
   * Returns the latency as the report counts it.
   *
   * @return nanoseconds from when the request was due to its answer
   */
  public long latencyNanos() {
    return endNanos - intendedNanos;
  }
}
