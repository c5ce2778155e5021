package dev.shardpipe.loadgen.sink;

import java.util.Locale;

/**
 * Which partition the Kafka sink writes an event to.
 *
 * @param mode how the partition is chosen
 * @param partition the partition for {@link Mode#FIXED}, else -1
 */
public record PartitionChoice(Mode mode, int partition) {

  /** How the partition is chosen. */
  public enum Mode {
    /** The partition routing gives the event ({@code ShardKeyPartitioner}, docs/contract.md §4). */
    ROUTED,
    /** A random partition: most events land where they do not route, and writers forward them. */
    RANDOM,
    /** One partition for every event. */
    FIXED
  }

  /**
   * Checks the partition.
   *
   * @throws IllegalArgumentException if a fixed partition is negative, or another mode names one
   */
  public PartitionChoice {
    if ((mode == Mode.FIXED) != (partition >= 0)) {
      throw new IllegalArgumentException(
          "--partition: a fixed partition must be >= 0 and only FIXED has one, was "
              + mode
              + " "
              + partition);
    }
  }

  /**
   * Parses {@code routed}, {@code random} or a partition number.
   *
   * @param text the option's value
   * @return the choice
   * @throws IllegalArgumentException naming the option when the text is none of those
   */
  public static PartitionChoice parse(String text) {
    return switch (text) {
      case "routed" -> new PartitionChoice(Mode.ROUTED, -1);
      case "random" -> new PartitionChoice(Mode.RANDOM, -1);
      default -> {
        try {
          yield new PartitionChoice(Mode.FIXED, Integer.parseInt(text));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--partition must be routed, random or a partition number >= 0, was " + text, e);
        }
      }
    };
  }

  @Override
  public String toString() {
    return mode == Mode.FIXED ? Integer.toString(partition) : mode.name().toLowerCase(Locale.ROOT);
  }
}
