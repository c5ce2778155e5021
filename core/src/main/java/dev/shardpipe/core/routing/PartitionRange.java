package dev.shardpipe.core.routing;

/**
 * An inclusive range of partition numbers, written {@code first-last} ({@code 0-7}) or as one
 * partition ({@code 5}) in configuration.
 *
 * @param first the lowest partition in the range, {@code >= 0}
 * @param last the highest partition in the range, {@code >= first}
 */
public record PartitionRange(int first, int last) {

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException if {@code first < 0} or {@code last < first}
   */
  public PartitionRange {
    if (first < 0) {
      throw new IllegalArgumentException("range " + first + "-" + last + " starts below 0");
    }
    if (last < first) {
      throw new IllegalArgumentException(
          "range " + first + "-" + last + " is empty: the first partition is after the last");
    }
  }

  /**
   * Parses {@code "first-last"} or a single partition {@code "n"}; surrounding spaces are ignored.
   *
   * @param text the range as written in configuration
   * @return the range
   * @throws IllegalArgumentException if the text is not one of those forms or the range is empty
   */
  public static PartitionRange parse(String text) {
    String trimmed = text.strip();
    int dash = trimmed.indexOf('-');
    try {
      if (dash < 0) {
        int only = Integer.parseInt(trimmed);
        return new PartitionRange(only, only);
      }
      return new PartitionRange(
          Integer.parseInt(trimmed.substring(0, dash).strip()),
          Integer.parseInt(trimmed.substring(dash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "\"" + trimmed + "\" is not a partition range such as 0-7 or 5", e);
    }
  }

  /**
   * Returns the number of partitions in the range, {@code >= 1}.
   *
   * @return {@code last - first + 1}
   */
  public int size() {
    return last - first + 1;
  }

  /**
   * Tells whether a partition lies in the range.
   *
   * @param partition a partition number
   * @return true when {@code first <= partition <= last}
   */
  public boolean contains(int partition) {
    return partition >= first && partition <= last;
  }

  /**
   * Checks that the range fits a topic of {@code partitions} partitions.
   *
   * @param partitions the topic's partition count P
   * @param owner what the range belongs to, for the message ("location europe", "shard us")
   * @throws IllegalArgumentException if {@code last >= partitions}
   */
  public void requireWithin(int partitions, String owner) {
    if (last >= partitions) {
      throw new IllegalArgumentException(
          "range " + this + " of " + owner + " is outside partitions 0.." + (partitions - 1));
    }
  }

  /** Returns the configuration form, {@code first-last} or {@code n}. */
  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
