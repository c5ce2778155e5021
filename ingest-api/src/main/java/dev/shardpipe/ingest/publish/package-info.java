/**
 * Publishing to the events topic (docs/contract.md §3, §6): one idempotent {@code acks=all}
 * producer, routed by core's partitioner with the shard key as record key, a bound on the events
 * awaiting Kafka, and where each event was stored, the body of a {@code 202}.
 *
 * <p>Knows nothing of HTTP; may not use the writer, query-service or the store.
 */
package dev.shardpipe.ingest.publish;
