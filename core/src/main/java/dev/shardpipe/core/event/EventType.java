package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code type} of an event (docs/contract.md §3): the name {@link Event#type()} returns and
 * metrics are tagged with. Everything else about a type, its fields, shard key and table, is its
 * {@link EventKind}.
 */
public enum EventType {
  /** A tweet, stored in {@code tweets}. */
  TWEET("tweet"),
  /** File metadata, stored in {@code file_metadata}. */
  FILE("file");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /**
   * Returns the name used on the wire and in URLs.
   *
   * @return {@code tweet} or {@code file}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a type up by its wire name.
   *
   * @param name {@code tweet} or {@code file}, case-sensitive
   * @return the type, or null when the name is neither
   */
  public static @Nullable EventType fromWireName(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    return null;
  }
}
