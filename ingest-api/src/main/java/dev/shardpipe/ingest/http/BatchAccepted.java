package dev.shardpipe.ingest.http;

import dev.shardpipe.ingest.publish.Published;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The {@code 202} of a batch (docs/contract.md §6): Kafka acknowledged every item.
 *
 * @param accepted how many items, all of them
 * @param results where each item was stored, in item order
 * @param token one read token covering every item (per partition, the highest offset): a read with
 *     it sees the whole batch (docs/query-service.md)
 */
@Serdeable
record BatchAccepted(int accepted, List<Published> results, String token) {}
