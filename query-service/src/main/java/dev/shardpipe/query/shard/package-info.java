/**
 * Reading the shards (docs/query-service.md): which shards and partitions a read asks, one pool,
 * circuit breaker and health entry per shard of the current placement, one bounded executor for
 * every call, parallel calls under one deadline, and the rows as the API returns them.
 *
 * <p>Statements come from shard-store's schema; it may not use the store's write path, ingest-api
 * or the writer, and it knows nothing of HTTP.
 */
package dev.shardpipe.query.shard;
