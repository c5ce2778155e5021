package dev.shardpipe.core.event;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when input is not a valid event of docs/contract.md §3. Not retriable: the same bytes fail
 * the same way, so an HTTP client gets a {@code 400} and a Kafka record goes to the dead-letter
 * topic.
 */
public final class InvalidEventException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /**
   * Creates the exception.
   *
   * @param violations every broken rule found, at least one
   * @throws IllegalArgumentException if {@code violations} is empty
   */
  public InvalidEventException(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  /**
   * Returns every broken rule, in document order.
   *
   * @return the violations, never empty
   */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid event needs at least one violation");
    }
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
