/**
 * Reading your own writes (docs/query-service.md): {@link
 * dev.shardpipe.query.readafter.AppliedWaits} completes a future once the shards that own a read
 * token's partitions now have applied past its offsets. One scheduler thread polls the applied
 * offsets for every waiting request together; no request parks a thread while it waits.
 *
 * <p>Reads the shards through {@link dev.shardpipe.query.shard.ShardReader}; knows nothing of HTTP.
 */
package dev.shardpipe.query.readafter;
