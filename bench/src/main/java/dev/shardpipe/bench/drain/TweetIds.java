package dev.shardpipe.bench.drain;

/**
 * How the fake tweets' ids are made. Users send their own ids, and PostgreSQL's cost per row
 * depends on them: a time-ordered id is appended to the right end of the primary key's B-tree, a
 * random one lands on any of its leaf pages.
 */
public enum TweetIds {

  /** Random UUIDv4 ids, as many clients make them. */
  V4,

  /** Time-ordered UUIDv7 ids, as ingest-api's examples and loadgen make them. */
  V7
}
