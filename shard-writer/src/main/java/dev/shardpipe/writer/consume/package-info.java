/**
 * The consume loop (docs/architecture.md, "The writer's transaction"): the partitions the catalog
 * assigns this shard, resumed from {@code applied_offsets}, each poll sorted per partition into
 * rows, forwards and dead letters and committed through shard-store with its offset; retries of
 * retriable errors, fencing and partition moves.
 *
 * <p>May not use ingest-api, query-service or http-problem.
 */
package dev.shardpipe.writer.consume;
