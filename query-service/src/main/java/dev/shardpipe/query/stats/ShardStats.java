package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * One shard: what it holds and how far its writer is behind.
 *
 * @param name the shard
 * @param region its region in the catalog, or null when it has none
 * @param state its state in the catalog: {@code active}, {@code draining} or {@code removed}
 * @param answered whether its database reported its applied offsets; when not, its applied offsets
 *     and lag are {@code null}
 * @param rows its rows, or null when they were not counted within {@code
 *     shardpipe.query.stats-timeout}
 * @param lag its partitions' total lag, or null when the shard or Kafka did not answer
 * @param partitions the partitions placed on it, ascending
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ShardStats(
    String name,
    @Nullable String region,
    String state,
    boolean answered,
    @Nullable RowCounts rows,
    @Nullable Long lag,
    List<PartitionStats> partitions) {}
