package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * One partition of the events topic on its shard. A value that could not be read, because the shard
 * or Kafka did not answer, is {@code null}.
 *
 * @param partition the partition
 * @param rows its rows on the shard
 * @param appliedOffset the next offset the shard's writer applies, from the shard's {@code
 *     applied_offsets}; 0 when it has applied nothing yet
 * @param endOffset the topic partition's end offset, as Kafka's {@code listOffsets(latest)} reports
 *     it: the offset the next record will get
 * @param lag records on the topic not yet applied: {@code end_offset - applied_offset}
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PartitionStats(
    int partition,
    @Nullable RowCounts rows,
    @Nullable Long appliedOffset,
    @Nullable Long endOffset,
    @Nullable Long lag) {}
