package dev.shardpipe.bench.drain;

import dev.shardpipe.generator.EventIds;

/**
 * How the fake tweets' ids are made. Users send their own ids, and PostgreSQL's cost per row
 * depends on them: a time-ordered id is appended to the right end of the primary key's B-tree, a
 * random one lands on any of its leaf pages.
 */
public enum TweetIds {

  /** Random UUIDv4 ids, as many clients make them. */
  V4,

  /** Time-ordered UUIDv7 ids, as ingest-api's examples and loadgen make them. */
  V7;

  /**
   * Returns the generator's ids of this kind.
   *
   * @param seed the seed of the ids
   * @return seeded ids: the same seed gives the same ids
   */
  public EventIds of(long seed) {
    return this == V7 ? EventIds.timeOrderedV7(seed) : EventIds.randomV4(seed);
  }
}
