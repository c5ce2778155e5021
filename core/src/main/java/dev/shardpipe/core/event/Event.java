package dev.shardpipe.core.event;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of the envelope in docs/contract.md §3: a tweet or a file, upserted or deleted.
 *
 * <p>Semantics per {@link #id()}: an upsert inserts the row, or replaces it when its {@link
 * #occurredAt()} is not older than the stored one; a delete removes it under the same rule.
 */
public sealed interface Event permits TweetEvent, FileEvent {

  /**
   * Returns the kind, the envelope's {@code type}: it decides the table and describes the data's
   * fields and the shard key.
   *
   * @return {@link EventKind#TWEET} or {@link EventKind#FILE}
   */
  EventKind type();

  /**
   * Returns what the event does to its row.
   *
   * @return upsert or delete
   */
  Op op();

  /**
   * Returns the row's identity; events with the same id are versions of one row.
   *
   * @return the id, a UUID (version 7 when ingest-api generated it)
   */
  UUID id();

  /**
   * Returns when the change happened, which orders versions of a row. Truncated to microseconds,
   * the precision of PostgreSQL {@code timestamptz}, so a stored value compares equal to the event.
   *
   * @return the instant
   */
  Instant occurredAt();

  /**
   * Returns the shard key as text, which is the Kafka record key (docs/contract.md §3).
   *
   * @return {@code <location>/<owner_id>} for a tweet, {@code <user_id>} for a file
   */
  String shardKey();
}
