package dev.shardpipe.loadgen.drive;

import io.micronaut.serde.annotation.Serdeable;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, read from an HdrHistogram of microseconds (3 significant
 * digits).
 *
 * @param count values recorded
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest value
 * @param mean arithmetic mean
 */
@Serdeable
public record Percentiles(
    long count, double p50, double p90, double p99, double p999, double max, double mean) {

  /** Highest value a histogram tracks: one hour, in microseconds. */
  public static final long HIGHEST_MICROS = 3_600_000_000L;

  /**
   * Creates an empty histogram of microseconds, safe to record into from many threads.
   *
   * @return the histogram
   */
  public static Histogram histogram() {
    return new ConcurrentHistogram(HIGHEST_MICROS, 3);
  }

  /**
   * Reads a histogram of microseconds.
   *
   * @param micros the histogram
   * @return its percentiles in milliseconds; all 0 when it is empty
   */
  public static Percentiles of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
    return new Percentiles(
        micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()),
        micros.getMean() / 1000);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /**
   * Records a duration, clamped to the histogram's range.
   *
   * @param micros the histogram
   * @param nanos the duration in nanoseconds
   */
  public static void record(Histogram micros, long nanos) {
    micros.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1000)));
  }
}
