package dev.shardpipe.loadgen.reads;

import java.util.concurrent.CompletableFuture;

/** What a read load asks: query-service over HTTP, or the same SQL on the shards directly. */
interface ReadTarget extends AutoCloseable {

  /**
   * Reads one page of tweets without blocking.
   *
   * @param kind routed (owner and location given) or merged (newest of every shard)
   * @param ownerId the owner, for a routed read
   * @param location the location, for a routed read
   * @return completes with the rows of the page, or exceptionally with a {@code SendFailure}
   */
  CompletableFuture<Integer> read(ReadKind kind, long ownerId, String location);

  String description();

  @Override
  void close();
}
