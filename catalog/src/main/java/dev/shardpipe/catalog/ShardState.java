package dev.shardpipe.catalog;

import java.util.Locale;

/** Where a shard is in its life; stored and shown lower-case ({@code active}). */
public enum ShardState {
  /** Holds partitions and may receive more. */
  ACTIVE,
  /** Its partitions are being moved off; it receives none. */
  DRAINING,
  /** Holds nothing and is no longer read or written; kept for the history. */
  REMOVED;

  /**
   * Returns the stored name.
   *
   * @return the lower-case name, such as {@code active}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored name.
   *
   * @param label a lower-case name, such as {@code draining}
   * @return the state
   * @throws IllegalArgumentException if the name is unknown
   */
  public static ShardState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
