package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * The field rules of docs/contract.md §3, each defined once and applied both where JSON is read
 * (collecting violations) and where records are constructed (throwing on the first).
 */
final class FieldRules {

  private FieldRules() {}

  /**
   * Checks a text field: 1 to {@code maxLength} characters, counted as Unicode code points as a
   * user counts them, and no NUL because PostgreSQL {@code text} cannot store U+0000.
   *
   * @return what is wrong, or null when the value is valid
   */
  static @Nullable String text(String value, int maxLength) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.indexOf('\0') >= 0) {
      return "must not contain NUL (U+0000)";
    }
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      return "must be at most " + maxLength + " characters, was " + length;
    }
    return null;
  }

  /**
   * Checks a count or identifier that may not be negative.
   *
   * @return what is wrong, or null when the value is valid
   */
  static @Nullable String nonNegative(long value) {
    return value < 0 ? "must be >= 0, was " + value : null;
  }

  static String require(String field, @Nullable String value, int maxLength) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": is required");
    }
    return check(field, value, maxLength);
  }

  static @Nullable String check(String field, @Nullable String value, int maxLength) {
    if (value != null) {
      String violation = text(value, maxLength);
      if (violation != null) {
        throw new IllegalArgumentException(field + ": " + violation);
      }
    }
    return value;
  }

  static long check(String field, long value) {
    String violation = nonNegative(value);
    if (violation != null) {
      throw new IllegalArgumentException(field + ": " + violation);
    }
    return value;
  }
}
