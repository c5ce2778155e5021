package dev.shardpipe.query.shard;

import java.time.Instant;
import java.util.UUID;

/** A row of an event kind's table: what orders it in a list, newest first. */
public interface ShardRow {

  /**
   * Returns the row's id, the second sort key.
   *
   * @return the id
   */
  UUID id();

  /**
   * Returns when the row's version happened, the first sort key.
   *
   * @return the instant, microsecond precision
   */
  Instant occurredAt();
}
