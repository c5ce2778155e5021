/**
 * The writer's settings under {@code shardpipe.writer} (docs/configuration.md), the shard it owns
 * as checked against the catalog at start-up, and its pools to that shard's database: one as the
 * writer role for rows, one as the owner for migrations and partition tables (docs/security.md).
 *
 * <p>No consume loop and no HTTP here; may not use ingest-api or query-service.
 */
package dev.shardpipe.writer.config;
