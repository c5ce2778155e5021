/**
 * query-service's entry point (docs/contract.md §7, docs/query-service.md): the HTTP way out, on
 * port 8081 by default. The service's parts live in the packages below: {@code http}, {@code
 * shard}, {@code merge}, {@code stats}, {@code readafter}, {@code placement} and {@code config}.
 *
 * <p>A service that deploys alone: it reads the shards through shard-store's schema only and may
 * not use ingest-api, the writer, the store's write path, the embedded servers, the test fixtures
 * or a tool.
 */
package dev.shardpipe.query;
