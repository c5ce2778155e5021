/**
 * {@code bin/loadgen} (docs/loadgen.md): the commands ({@code git}, {@code files}, {@code
 * synthetic}, {@code reads}), their shared options, one ingest run from source through sink to the
 * visibility check, and its report and JSON summary.
 *
 * <p>A client of a running pipeline, as a user is: events go in through ingest-api or Kafka and are
 * checked through query-service and read-only SQL. It may not use a service's classes, the embedded
 * servers, the devstack or another tool, shard-move, the store's write path, or the test fixtures.
 */
package dev.shardpipe.loadgen;
