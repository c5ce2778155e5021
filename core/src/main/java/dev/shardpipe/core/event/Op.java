package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code op} of an event (docs/contract.md §3): what it does to the row with its {@code id}.
 */
public enum Op {
  /** Inserts the row, or replaces it when the event is not older than the stored row. */
  UPSERT("upsert"),
  /** Removes the row when the event is not older than the stored row, and leaves a tombstone. */
  DELETE("delete");

  private final String wireName;

  Op(String wireName) {
    this.wireName = wireName;
  }

  /**
   * Returns the name used on the wire.
   *
   * @return {@code upsert} or {@code delete}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks an op up by its wire name.
   *
   * @param name {@code upsert} or {@code delete}, case-sensitive
   * @return the op, or null when the name is neither
   */
  public static @Nullable Op fromWireName(String name) {
    for (Op op : values()) {
      if (op.wireName.equals(name)) {
        return op;
      }
    }
    return null;
  }
}
