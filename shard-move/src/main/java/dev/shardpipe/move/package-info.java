/**
 * The steps of moving a partition between shards (docs/contract.md §10, docs/elasticity.md): copy,
 * catch up, cutover, clean, abort, each idempotent and recorded in the catalog, shared by the
 * writers and shardctl; and the pools to the shards a move touches.
 *
 * <p>Builds on the catalog and shard-store only: it may not use a service (ingest-api, the writer,
 * query-service, http-problem), the embedded servers, the test fixtures or a tool, and it logs
 * instead of printing.
 */
package dev.shardpipe.move;
