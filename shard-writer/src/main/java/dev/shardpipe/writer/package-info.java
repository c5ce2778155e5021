/**
 * The shard writer's entry point (docs/contract.md §8): {@code java -jar shard-writer.jar
 * --shard=eu}, which exits with status 1 on an error retrying cannot fix. Its parts live in the
 * packages below: {@code consume}, {@code redirect}, {@code config}, {@code health} and {@code
 * metrics}.
 *
 * <p>A service that deploys alone: it may not use ingest-api, query-service, http-problem, the
 * embedded servers, the test fixtures or a tool.
 */
package dev.shardpipe.writer;
