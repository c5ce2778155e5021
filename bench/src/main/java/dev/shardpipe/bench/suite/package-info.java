/**
 * The benchmark suite: every performance figure of the pipeline next to a reference measured in the
 * same run (Kafka's own tools, wrk, direct SQL), written into docs/benchmarks.md. Drives a devstack
 * with loadgen, wrk and Kafka's tools as child processes.
 *
 * <p>May use the devstack, the embedded servers and loadgen's shard reads; never a service's
 * classes nor the test fixtures: each figure is measured through the interfaces a user has.
 */
package dev.shardpipe.bench.suite;
