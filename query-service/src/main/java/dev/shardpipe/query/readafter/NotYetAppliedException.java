package dev.shardpipe.query.readafter;

import java.util.List;

/** A read token's offsets were not all applied within {@code read-after-timeout}. */
public final class NotYetAppliedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<Integer> partitions;

  /**
   * Creates the exception.
   *
   * @param partitions the token's partitions whose offsets were not applied yet, ascending
   */
  public NotYetAppliedException(List<Integer> partitions) {
    super("not yet applied: partitions " + partitions, null, false, false);
    this.partitions = List.copyOf(partitions);
  }

  /**
   * Returns the partitions still behind.
   *
   * @return the partitions, ascending
   */
  public List<Integer> partitions() {
    return partitions;
  }
}
