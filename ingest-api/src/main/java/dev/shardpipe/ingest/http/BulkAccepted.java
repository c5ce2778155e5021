package dev.shardpipe.ingest.http;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The {@code 202} of {@code POST /ingest/bulk} (docs/contract.md §6): Kafka acknowledged every
 * synthetic event.
 *
 * @param accepted how many events were generated and acknowledged
 */
@Serdeable
record BulkAccepted(int accepted) {}
