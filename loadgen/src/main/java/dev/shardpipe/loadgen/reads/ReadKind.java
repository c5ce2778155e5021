package dev.shardpipe.loadgen.reads;

/** Which read of docs/contract.md §7 a read load asks. */
public enum ReadKind {
  /**
   * {@code GET /tweets?owner_id=&location=&limit=}: routed to the one partition, and shard, the
   * owner and location route to.
   */
  ROUTED,
  /** {@code GET /tweets?limit=}: every shard asked, their newest rows merged. */
  MERGED
}
