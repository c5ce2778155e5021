package dev.shardpipe.core.event;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One broken rule of SPEC 3: which field, and what is wrong with it.
 *
 * @param field the field's JSON path, such as {@code owner_id} or {@code data.text}; empty for the
 *     document as a whole
 * @param message what is wrong, such as {@code must be at most 280 characters, was 301}
 */
@Serdeable
public record Violation(String field, String message) {

  /** Returns {@code field: message}, or the message alone for the whole document. */
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
