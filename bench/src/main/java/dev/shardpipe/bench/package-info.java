/**
 * {@code java -jar bench/target/bench.jar}: the entry point of the benchmark commands, run by hand
 * on a quiet machine and never as timed tests; the benchmarks themselves live in {@code drain} and
 * {@code suite} (docs/benchmarks.md).
 *
 * <p>A tool: it may start the devstack and the embedded servers and use loadgen's shard reads, but
 * never a service's classes (ingest-api, the writer, query-service, http-problem) nor the test
 * fixtures; the services run from their jars, as a user runs them.
 */
package dev.shardpipe.bench;
