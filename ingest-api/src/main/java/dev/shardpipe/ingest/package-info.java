/**
 * ingest-api's entry point (docs/contract.md §6, docs/ingest-api.md): the HTTP way in, on port 8080
 * by default. The service's parts live in the packages below: {@code http}, {@code publish}, {@code
 * lag}, {@code bulk}, {@code config} and {@code metrics}.
 *
 * <p>A service that deploys alone: it may not use the writer, query-service, the store's write path
 * (only its schema and its {@code applied_offsets} read), the embedded servers, the test fixtures
 * or a tool.
 */
package dev.shardpipe.ingest;
