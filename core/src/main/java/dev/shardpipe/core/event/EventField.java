package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * One field of an event kind's {@code data} (docs/contract.md §3): its wire name, whether it is
 * text or an integer, its bound, and when it is required. Both readers of JSON (the tree path that
 * names every violation and the codec's fast path) and the HTTP layers take a field's rule from
 * here.
 *
 * @param name the wire name, such as {@code owner_id}
 * @param type text or integer
 * @param max the longest text in code points, or the largest integer
 * @param presence when the field must be present
 */
public record EventField(String name, Type type, long max, Presence presence) {

  /** The JSON type of a field's value. */
  public enum Type {
    /** A JSON string of 1 to {@code max} code points without NUL; read as {@link String}. */
    TEXT,
    /** A JSON integer in {@code 0..max}; read as {@link Long}. */
    INTEGER
  }

  /** When a field must be present. */
  public enum Presence {
    /** In every event: a part of the shard key. */
    ALWAYS,
    /** In an upsert; a delete ignores it. */
    UPSERT,
    /** Never; absent means unknown, or the kind's default. */
    OPTIONAL
  }

  static EventField text(String name, int maxLength, Presence presence) {
    return new EventField(name, Type.TEXT, maxLength, presence);
  }

  static EventField integer(String name, long max, Presence presence) {
    return new EventField(name, Type.INTEGER, max, presence);
  }

  /**
   * Returns whether an event with this op reads the field.
   *
   * @param op upsert or delete
   * @return false only for an upsert-only field in a delete
   */
  public boolean readIn(Op op) {
    return presence != Presence.UPSERT || op == Op.UPSERT;
  }

  /**
   * Returns whether an event with this op needs the field.
   *
   * @param op upsert or delete
   * @return true for a shard-key field, and for an upsert-only field in an upsert
   */
  public boolean requiredIn(Op op) {
    return presence == Presence.ALWAYS || (presence == Presence.UPSERT && op == Op.UPSERT);
  }

  /**
   * Checks a value of this field.
   *
   * @param value a {@link String} for text, a {@link Long} for an integer
   * @return what is wrong, or null when the value is valid
   */
  @Nullable
  String problem(Object value) {
    if (type == Type.TEXT) {
      return value instanceof String text
          ? FieldRules.text(text, (int) max)
          : "must be a String, was " + value.getClass().getSimpleName();
    }
    if (!(value instanceof Long number)) {
      return "must be a Long, was " + value.getClass().getSimpleName();
    }
    String negative = FieldRules.nonNegative(number);
    if (negative != null) {
      return negative;
    }
    return number > max ? "must be at most " + max + ", was " + number : null;
  }
}
