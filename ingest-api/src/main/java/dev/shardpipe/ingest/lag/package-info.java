/**
 * Backpressure from the writers (docs/ingest-api.md): {@link dev.shardpipe.ingest.lag.LagWatcher}
 * reads every partition's lag in the background, the topic's end offset from Kafka against the
 * applied offset of the shard that owns the partition now; {@link
 * dev.shardpipe.ingest.lag.Backpressure} decides from that reading which events to refuse. Nothing
 * here runs on a request's thread but the decision, which only reads memory.
 *
 * <p>May use Kafka's admin client, the catalog's snapshot and read-only JDBC to the shards; not the
 * HTTP layer.
 */
package dev.shardpipe.ingest.lag;
