package dev.shardpipe.query.shard;

/** Why a shard is missing from an answer. Each constant's text is safe to show a client. */
public enum ShardFailure {
  /** The shard did not answer within {@code shardpipe.query.query-timeout}. */
  TIMEOUT("did not answer in time"),
  /** No connection could be opened: the database is down, unreachable or refuses us. */
  UNREACHABLE("cannot be reached"),
  /** The shard answered with an error, such as a missing table. */
  FAILED("failed to answer"),
  /** Not asked: its circuit breaker is open after repeated timeouts or connection failures. */
  OPEN("is skipped while it keeps failing (circuit breaker open)"),
  /**
   * Not reached: every connection of its pool stayed in use by other requests for {@code
   * shardpipe.query.connection-timeout}. Says nothing about the shard's health.
   */
  BUSY("is busy: every connection to it is in use");

  private final String description;

  ShardFailure(String description) {
    this.description = description;
  }

  /**
   * Returns what happened, for a client: {@code shard us <description>}.
   *
   * @return a short phrase, such as {@code cannot be reached}
   */
  public String description() {
    return description;
  }
}
