package dev.shardpipe.loadgen.sink;

/**
 * Where Kafka stored one event, as ingest-api's {@code 202} or the producer's acknowledgement says.
 *
 * @param partition the partition written to
 * @param offset the event's offset there
 */
public record Ack(int partition, long offset) {}
