/**
 * query-service's endpoints (docs/contract.md §7, docs/query-service.md): tweet and file pages and
 * lookups by id, {@code /stats}, the console, the parameter checks, and read-your-writes on every
 * read. Each request takes one placement and reads every shard with it; errors leave as problems
 * through http-problem.
 *
 * <p>Reads through {@code shard}; may not use ingest-api, the writer or the store's write path.
 */
package dev.shardpipe.query.http;
