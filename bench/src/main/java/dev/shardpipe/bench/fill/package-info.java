/**
 * The one way the benchmarks fill a topic with their rows before they time what reads it ({@link
 * dev.shardpipe.bench.fill.TopicFill}), whatever the records' keys and values.
 *
 * <p>Kafka's producer only: no database, no server of its own.
 */
package dev.shardpipe.bench.fill;
