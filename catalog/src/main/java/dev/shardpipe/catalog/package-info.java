/**
 * The catalog database (docs/contract.md §10, docs/elasticity.md): shards, the versioned placement,
 * the moves and their history, the watcher that keeps every process's view current, and the {@code
 * postgres_fdw} tables that let one SQL query read every shard (docs/sql.md). Written and read
 * through Micronaut Data JDBC; {@link dev.shardpipe.catalog.CatalogClient} gives the command-line
 * tools the same beans.
 *
 * <p>Builds on core and shard-store's schema only: it may not use a service (ingest-api, the
 * writer, query-service, http-problem), the embedded servers, the test fixtures or a tool, and it
 * logs instead of printing.
 */
package dev.shardpipe.catalog;
