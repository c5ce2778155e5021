/**
 * {@code GET /stats} (docs/query-service.md): per shard its partitions, rows and applied offsets
 * against Kafka's end offsets, the moves under way, and totals that are {@code null} rather than
 * wrong when a part is missing; collected at most once per {@code stats-max-age}.
 *
 * <p>Reads the shards through {@code shard} and Kafka with its admin client; may not use
 * ingest-api, the writer or the store's write path.
 */
package dev.shardpipe.query.stats;
