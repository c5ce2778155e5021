package dev.shardpipe.core.event;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of the envelope in docs/contract.md §3: a row of one {@link EventKind}, upserted or
 * deleted. A kind with a Java record of its own has its typed event ({@link TweetEvent}, {@link
 * FileEvent}); any kind's event may be a {@link DataEvent}, whose data is a map by field name. Read
 * the data of either through {@link EventKind#values}, never by the event's class, so that code
 * works for every kind.
 *
 * <p>Semantics per {@link #id()}: an upsert inserts the row, or replaces it when its {@link
 * #occurredAt()} is not older than the stored one; a delete removes it under the same rule.
 */
public sealed interface Event permits TweetEvent, FileEvent, DataEvent {

  /**
   * Returns the kind, the envelope's {@code type}: it decides the table and describes the data's
   * fields and the shard key.
   *
   * @return such as {@link EventKind#TWEET}
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
   * @return the kind's key fields joined by {@code /} ({@link EventKind#shardKey}): {@code
   *     <location>/<owner_id>} for a tweet, {@code <user_id>} for a file
   */
  String shardKey();
}
