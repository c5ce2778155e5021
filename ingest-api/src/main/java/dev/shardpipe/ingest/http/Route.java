package dev.shardpipe.ingest.http;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Where an event with a given shard key goes: the body of {@code GET /route}
 * (docs/ingest-api.md#producing-from-other-languages).
 *
 * @param partition the partition routing picks for the shard key, in {@code 0..P-1}; fixed for the
 *     life of the topic
 * @param shard the shard the newest placement this service has read puts that partition on; it
 *     changes when the partition is moved
 */
@Serdeable
record Route(int partition, String shard) {}
