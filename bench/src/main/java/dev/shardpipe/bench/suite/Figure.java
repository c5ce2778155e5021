package dev.shardpipe.bench.suite;

/** The suite's groups of figures, in the order they run; {@code --only} picks some. */
public enum Figure {
  /** Writer drain next to a JDBC batch upsert, on its own broker and PostgreSQL. */
  DRAIN,
  /** Single {@code POST /tweets}, open and closed loop. */
  SINGLE,
  /**
   * End-to-end freshness next to Kafka's EndToEndLatency, and reading your own write with its token
   * next to that freshness.
   */
  FRESHNESS,
  /**
   * Routed and merged reads next to the same SQL on the shards, and an aggregate through the
   * catalog database next to the same summed from the shards.
   */
  READS,
  /** A partition moved to a new shard under load ({@link MoveFigures}). */
  MOVE,
  /**
   * A million events through writer, database, ingest-api and broker failures ({@link
   * ChaosFigures}).
   */
  CHAOS,
  /** {@code POST /tweets/batch} as fast as it goes. */
  BATCH
}
