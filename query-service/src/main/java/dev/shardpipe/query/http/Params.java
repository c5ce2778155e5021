package dev.shardpipe.query.http;

import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.InvalidCursorException;
import dev.shardpipe.query.merge.Keyset;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * Reads query parameters as text and checks them here, so that every bad parameter is reported at
 * once and under its wire name ({@code owner_id}, not a Java parameter name).
 */
final class Params {

  private Params() {}

  static @Nullable Long id(String name, @Nullable String text, List<Violation> violations) {
    if (text == null) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      violations.add(new Violation(name, "must be an integer"));
      return null;
    }
    if (value < 0) {
      violations.add(new Violation(name, "must be at least 0, was " + value));
      return null;
    }
    return value;
  }

  /** Reads a text parameter of 1 to {@code maxLength} code points, compared exactly. */
  static @Nullable String text(
      String name, @Nullable String text, int maxLength, List<Violation> violations) {
    if (text == null) {
      return null;
    }
    int length = text.codePointCount(0, text.length());
    if (length < 1 || length > maxLength) {
      violations.add(
          new Violation(name, "must be 1 to " + maxLength + " characters, was " + length));
      return null;
    }
    return text;
  }

  static int limit(
      @Nullable String text, int defaultLimit, int maxLimit, List<Violation> violations) {
    if (text == null) {
      return defaultLimit;
    }
    String message = "must be an integer from 1 to " + maxLimit;
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= 1 && value <= maxLimit) {
        return value;
      }
      message += ", was " + value;
    } catch (NumberFormatException e) {
      // Reported below with the same message as a number out of range.
    }
    violations.add(new Violation("limit", message));
    return defaultLimit;
  }

  /**
   * Decodes the cursor, unless a filter is invalid: the scope the cursor must match is then
   * unknown, and the filter's error is the one to fix first.
   */
  static @Nullable Keyset cursor(
      CursorCodec codec,
      CursorScope scope,
      boolean filtersValid,
      @Nullable String text,
      List<Violation> violations) {
    // "cursor=" asks for the first page, as no cursor does.
    if (text == null || text.isEmpty() || !filtersValid) {
      return null;
    }
    try {
      return codec.decode(scope, text);
    } catch (InvalidCursorException e) {
      violations.add(new Violation("cursor", e.getMessage()));
      return null;
    }
  }

  /**
   * Ends the request with a {@code 400} naming every bad parameter, if there is one.
   *
   * @throws ProblemException if {@code violations} is not empty
   */
  static void requireValid(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw ProblemException.invalid("the request has invalid parameters", violations);
    }
  }
}
