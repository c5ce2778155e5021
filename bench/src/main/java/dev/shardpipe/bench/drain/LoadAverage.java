package dev.shardpipe.bench.drain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's one-minute load average at the start and the end of a phase, from Linux's {@code
 * /proc/loadavg} (as {@code uptime} prints it): on a machine shared with other work it says how
 * much of the cores a figure had.
 *
 * @param start at the start of the phase; NaN where {@code /proc/loadavg} does not exist
 * @param end at its end; NaN likewise
 */
public record LoadAverage(double start, double end) {

  private static final Path LOADAVG = Path.of("/proc/loadavg");

  /** The load now, as the start and the end of a phase that has not ended yet. */
  static LoadAverage now() {
    double now = read();
    return new LoadAverage(now, now);
  }

  /** This phase's start with the end of another. */
  LoadAverage until(LoadAverage later) {
    return new LoadAverage(start, later.end);
  }

  /**
   * Returns the loads as the reports print them.
   *
   * @return such as {@code 2.4 → 3.1}
   */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.1f → %.1f", start, end);
  }

  private static double read() {
    if (!Files.isReadable(LOADAVG)) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(Files.readString(LOADAVG).split(" ", 2)[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
