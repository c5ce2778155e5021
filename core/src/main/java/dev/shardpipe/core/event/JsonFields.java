package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads the fields of one JSON object, checking each against its rule and collecting every
 * violation instead of stopping at the first, so that a client learns all that is wrong at once. A
 * field set to JSON {@code null} counts as absent.
 */
final class JsonFields {

  /** RFC 3339 allows a lower-case {@code t} and {@code z} (section 5.6). */
  private static final DateTimeFormatter RFC_3339 =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toFormatter();

  private static final int MAX_YEAR = 9999;

  private final JsonNode object;
  private final String prefix;
  private final List<Violation> violations;

  JsonFields(JsonNode object, String prefix, List<Violation> violations) {
    this.object = object;
    this.prefix = prefix;
    this.violations = violations;
  }

  void violation(String field, String message) {
    violations.add(new Violation(prefix + field, message));
  }

  private @Nullable JsonNode present(String field, boolean required) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        violation(field, "is required");
      }
      return null;
    }
    return node;
  }

  @Nullable
  JsonNode object(String field) {
    JsonNode node = present(field, true);
    if (node != null && !node.isObject()) {
      violation(field, "must be a JSON object");
      return null;
    }
    return node;
  }

  @Nullable
  String text(String field, boolean required, int maxLength) {
    String value = string(field, required);
    if (value == null) {
      return null;
    }
    String problem = FieldRules.text(value, maxLength);
    if (problem != null) {
      violation(field, problem);
      return null;
    }
    return value;
  }

  /** Reads an integer in {@code 0..max}; JSON numbers with a fraction or exponent are refused. */
  @Nullable
  Long nonNegative(String field, boolean required, long max) {
    JsonNode node = present(field, required);
    if (node == null) {
      return null;
    }
    Number number = node.isNumber() ? node.getNumberValue() : null;
    if (!(number instanceof Integer
        || number instanceof Long
        || number instanceof Short
        || number instanceof Byte
        || number instanceof BigInteger)) {
      violation(field, "must be an integer");
      return null;
    }
    if (number instanceof BigInteger big && big.bitLength() > Long.SIZE - 1) {
      violation(field, "must be at most " + max);
      return null;
    }
    long value = number.longValue();
    String problem = FieldRules.nonNegative(value);
    if (problem != null) {
      violation(field, problem);
      return null;
    }
    if (value > max) {
      violation(field, "must be at most " + max + ", was " + value);
      return null;
    }
    return value;
  }

  @Nullable
  UUID uuid(String field, boolean required) {
    String text = string(field, required);
    if (text == null) {
      return null;
    }
    try {
      UUID id = UUID.fromString(text);
      // UUID.fromString accepts short groups such as "1-2-3-4-5"; only the canonical form is an id.
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // Reported below with the canonical form as the example.
    }
    violation(field, "must be a UUID such as 0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10");
    return null;
  }

  @Nullable
  Instant instant(String field, boolean required) {
    String text = string(field, required);
    if (text == null) {
      return null;
    }
    try {
      OffsetDateTime parsed = OffsetDateTime.parse(text, RFC_3339);
      if (parsed.getYear() >= 1 && parsed.getYear() <= MAX_YEAR) {
        return parsed.toInstant();
      }
    } catch (DateTimeException e) {
      // Reported below with an example of the expected form.
    }
    violation(field, "must be an RFC 3339 date-time with an offset, such as 2026-11-21T10:15:00Z");
    return null;
  }

  /** Reads one of a fixed set of names, such as {@code type} or {@code op}. */
  <T> @Nullable T choice(
      String field, boolean required, Function<String, @Nullable T> lookup, String allowed) {
    String text = string(field, required);
    if (text == null) {
      return null;
    }
    T value = lookup.apply(text);
    if (value == null) {
      violation(field, "must be " + allowed);
    }
    return value;
  }

  private @Nullable String string(String field, boolean required) {
    JsonNode node = present(field, required);
    if (node == null) {
      return null;
    }
    if (!node.isString()) {
      violation(field, "must be a string");
      return null;
    }
    return node.getStringValue();
  }
}
