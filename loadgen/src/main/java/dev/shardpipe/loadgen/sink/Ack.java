package dev.shardpipe.loadgen.sink;

import io.micronaut.core.annotation.Nullable;

/**
 * Where Kafka stored one event, as ingest-api's {@code 202} or the producer's acknowledgement says.
 *
 * @param partition the partition written to
 * @param offset the event's offset there
 * @param token the event's read token from ingest-api's {@code 202}, for {@code read_after} on
 *     query-service; null when the event went straight to Kafka, which signs no token
 */
public record Ack(int partition, long offset, @Nullable String token) {}
