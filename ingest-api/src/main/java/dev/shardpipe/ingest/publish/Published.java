package dev.shardpipe.ingest.publish;

import io.micronaut.serde.annotation.Serdeable;
import java.util.UUID;

/**
 * Where Kafka stored an event: the body of a {@code 202} (docs/contract.md §6).
 *
 * @param id the event's id, generated (UUIDv7) when the client sent none
 * @param partition the partition routing chose
 * @param offset the record's offset in that partition
 * @param shard the shard the partition is placed on, whose database will hold the row
 * @param token the read token of this event: query-service's {@code read_after} waits until the row
 *     is visible (docs/query-service.md); opaque, base64url
 */
@Serdeable
public record Published(UUID id, int partition, long offset, String shard, String token) {}
