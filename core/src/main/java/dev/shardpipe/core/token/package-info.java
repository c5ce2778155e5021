/**
 * Read tokens: what a {@code 202} of ingest-api hands the client so that query-service can wait
 * until the write is visible (docs/ingest-api.md, docs/query-service.md). A token names partitions
 * and offsets, never a shard, so it stays valid while partitions move; it is signed with a secret
 * both services share, so a client can neither forge one nor alter one to make a read wait on
 * offsets nobody wrote.
 *
 * <p>Plain Java and {@code javax.crypto} only: no HTTP, Kafka or database types.
 */
package dev.shardpipe.core.token;
