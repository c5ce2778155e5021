/**
 * The writer-drain benchmark: a topic pre-filled with fake tweets, drained by real writers from
 * their jars, timed against a plain JDBC batch upsert and a {@code COPY} of the same rows, with CPU
 * time and the machine's load beside every figure (docs/benchmarks.md).
 *
 * <p>Writes the reference tables with shard-store's schema and statements and reads progress
 * through its one {@code applied_offsets} query; never uses the writer's classes, whose cost is
 * what it measures from outside, nor the test fixtures.
 */
package dev.shardpipe.bench.drain;
