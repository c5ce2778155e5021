package dev.shardpipe.core.event;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One broken rule of docs/contract.md §3: which field, and what is wrong with it.
 *
 * @param field the field's JSON path, such as {@code owner_id} or {@code data.text}; empty for the
 *     document as a whole
 * @param message what is wrong, such as {@code must be at most 280 characters, was 301}
 */
@Serdeable
public record Violation(String field, String message) {

  /**
   * Returns this violation as found in one item of a batch: the field path gains the item's index,
   * {@code [3].owner_id} for the field {@code owner_id} of the fourth item, {@code [3]} for the
   * item as a whole. The form follows JSONPath's member and index notation without the leading
   * {@code $}.
   *
   * @param index the item's position in the batch, from 0
   * @return a violation with the same message and the prefixed field path
   * @throws IllegalArgumentException if {@code index < 0}
   */
  public Violation inItem(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("a batch item's index must be >= 0, was " + index);
    }
    String item = "[" + index + "]";
    return new Violation(field.isEmpty() ? item : item + "." + field, message);
  }

  /** Returns {@code field: message}, or the message alone for the whole document. */
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
