package dev.shardpipe.query.shard;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of a shard's {@code tweets} table (docs/contract.md §5), as the API returns it: JSON
 * field names in snake_case, instants as RFC 3339 strings in UTC.
 *
 * @param id the tweet's id
 * @param location the tweet's location
 * @param ownerId its author
 * @param text the text
 * @param likeCount likes
 * @param occurredAt when the tweet was written, microsecond precision
 * @param partition the partition routing chose for it (docs/contract.md §4)
 * @param shard the shard the row was read from
 * @param ingestedAt when the writer last wrote the row
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record TweetRow(
    UUID id,
    String location,
    long ownerId,
    String text,
    int likeCount,
    Instant occurredAt,
    int partition,
    String shard,
    Instant ingestedAt)
    implements ShardRow {}
