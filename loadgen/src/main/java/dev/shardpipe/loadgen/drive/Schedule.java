package dev.shardpipe.loadgen.drive;

/**
 * When each request of an open-loop run is due: request {@code k} (from 0) at {@code start + k /
 * rate}, whatever became of the requests before it. Latency is measured from this intended time,
 * not from when the request actually left, so a server that stalls is charged for every request it
 * delayed (coordinated omission, as wrk2 and HdrHistogram correct it).
 *
 * @param startNanos the first request's time, on {@link System#nanoTime()}'s scale
 * @param requestsPerSecond the rate, {@code > 0}
 */
public record Schedule(long startNanos, double requestsPerSecond) {

  /**
   * Checks the rate.
   *
   * @throws IllegalArgumentException if the rate is not positive and finite
   */
  public Schedule {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException(
          "the rate must be positive and finite, was " + requestsPerSecond);
    }
  }

  /**
   * Returns when a request is due.
   *
   * @param k the request's index, from 0
   * @return nanoseconds on {@link System#nanoTime()}'s scale
   */
  public long intended(long k) {
    return startNanos + Math.round(k * 1e9 / requestsPerSecond);
  }
}
