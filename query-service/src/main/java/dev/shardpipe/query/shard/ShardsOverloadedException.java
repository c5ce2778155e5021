package dev.shardpipe.query.shard;

/**
 * The executor that runs calls on the shards has no thread free and its queue is full: the request
 * is refused before any of its calls ran, rather than waiting behind work it could not finish
 * within the query timeout anyway. Retriable: the client should try again after {@code
 * Retry-After}.
 */
public final class ShardsOverloadedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ShardsOverloadedException(int threads, int queue) {
    super(
        "all "
            + threads
            + " shard call threads are busy and "
            + queue
            + " calls already wait; refused",
        null,
        false,
        false);
  }
}
