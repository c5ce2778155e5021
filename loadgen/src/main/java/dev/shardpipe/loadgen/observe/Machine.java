package dev.shardpipe.loadgen.observe;

import io.micronaut.serde.annotation.Serdeable;
import java.lang.management.ManagementFactory;

/**
 * The machine a run measured on; a number means little without it on a shared machine.
 *
 * @param cores processors available to the JVM
 * @param loadAverage the one-minute system load average, or -1 where the platform has none
 */
@Serdeable
public record Machine(int cores, double loadAverage) {

  /**
   * Reads the machine now.
   *
   * @return cores and load average
   */
  public static Machine now() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
