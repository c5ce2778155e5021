package dev.shardpipe.query.shard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of a shard's {@code file_metadata} table (docs/contract.md §5), as the API returns it:
 * JSON field names in snake_case, instants as RFC 3339 strings in UTC, unknown values as {@code
 * null}.
 *
 * @param id the file's id
 * @param userId its owner
 * @param fileName the file's path or name
 * @param sizeBytes the size in bytes, or null when unknown
 * @param contentType the media type, or null when unknown
 * @param occurredAt when the metadata changed, microsecond precision
 * @param partition the partition routing chose for it (docs/contract.md §4)
 * @param shard the shard the row was read from
 * @param ingestedAt when the writer last wrote the row
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FileRow(
    UUID id,
    long userId,
    String fileName,
    @Nullable Long sizeBytes,
    @Nullable String contentType,
    Instant occurredAt,
    int partition,
    String shard,
    Instant ingestedAt)
    implements ShardRow {}
