/**
 * The writer drain's peer: Kafka Connect standalone with the Debezium JDBC sink, the tool users
 * would pick instead of the shard writers, run on the same rows, schema and PostgreSQL server
 * (docs/benchmarks.md, "Writer drain").
 *
 * <p>{@link dev.shardpipe.bench.peer.TweetConnectJson} encodes the tweets as Connect's JSON with an
 * embedded schema, {@link dev.shardpipe.bench.peer.ConnectSinkSettings} holds the worker's and the
 * connector's settings, {@link dev.shardpipe.bench.peer.DebeziumSink} fills the topic, runs Connect
 * as a child JVM from {@code bench/target/lib} with the plugin the bench build unpacks into {@code
 * bench/target/connect-plugins}, and times it until every row is in the table.
 *
 * <p>It uses core's events, the embedded broker and JDBC; it knows nothing of the drain benchmark
 * that calls it, nor of the writers.
 */
package dev.shardpipe.bench.peer;
