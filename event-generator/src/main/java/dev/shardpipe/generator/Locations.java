package dev.shardpipe.generator;

import java.time.ZoneOffset;

/**
 * The tweet {@code location} of a time-zone offset (docs/loadgen.md): UTC−10 to UTC−3 is {@value
 * #USA}, UTC−1 to UTC+4 is {@value #EUROPE}, anything else {@value #OTHER}. Both ends are included
 * and offsets are compared to the minute, so UTC−3:30 is {@code usa} and UTC+4:30 is {@code other}.
 * {@code europe} and {@code usa} are the locations the default routing gives their own partitions;
 * {@code other} spreads over all of them (docs/contract.md §4).
 */
public final class Locations {

  /** The location of offsets from UTC−1 to UTC+4: {@value}. */
  public static final String EUROPE = "europe";

  /** The location of offsets from UTC−10 to UTC−3: {@value}. */
  public static final String USA = "usa";

  /** The location of every other offset: {@value}. */
  public static final String OTHER = "other";

  private static final int HOUR = 3600;

  private Locations() {}

  /**
   * Returns the location of an offset.
   *
   * @param offset a time-zone offset, such as a git author's
   * @return {@value #USA}, {@value #EUROPE} or {@value #OTHER}
   */
  public static String of(ZoneOffset offset) {
    int seconds = offset.getTotalSeconds();
    if (seconds >= -10 * HOUR && seconds <= -3 * HOUR) {
      return USA;
    }
    if (seconds >= -HOUR && seconds <= 4 * HOUR) {
      return EUROPE;
    }
    return OTHER;
  }
}
