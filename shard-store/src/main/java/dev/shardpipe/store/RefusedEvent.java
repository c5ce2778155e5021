package dev.shardpipe.store;

/**
 * An event the database refused to store, found by {@link ShardSink#findRefused}.
 *
 * @param index the event's position in the list given to {@code findRefused}
 * @param sqlState the SQLSTATE of the refusal, class 22 (data exception) or 23 (integrity
 *     constraint violation)
 * @param message the database's own message, such as {@code new row for relation "tweets_p3"
 *     violates check constraint "tweets_owner_id_check"}
 */
public record RefusedEvent(int index, String sqlState, String message) {

  /**
   * Returns the reason as one line for a dead letter's header.
   *
   * @return {@code database refused the event: <message> (SQLSTATE <state>)}
   */
  public String reason() {
    return "database refused the event: " + message + " (SQLSTATE " + sqlState + ")";
  }
}
