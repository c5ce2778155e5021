package dev.shardpipe.query.shard;

import java.util.Map;

/**
 * What the shards told about themselves for {@code GET /stats}, each part with its own shards
 * missing: the applied offsets are read within {@code shardpipe.query.query-timeout}, the row
 * counts, which scan every row, within {@code shardpipe.query.stats-timeout}, so that a slow count
 * never hides the offsets and lag. Every map is per partition placed on the shard; a partition
 * without rows, or never applied, is absent from it.
 *
 * @param appliedOffsets per shard, {@code applied_offsets.next_offset} of the events topic per
 *     partition: the next Kafka offset its writer applies
 * @param tweets per shard, rows of {@code tweets} per partition
 * @param fileMetadata per shard, rows of {@code file_metadata} per partition
 */
public record StatsReads(
    Answers<Map<Integer, Long>> appliedOffsets,
    Answers<Map<Integer, Long>> tweets,
    Answers<Map<Integer, Long>> fileMetadata) {}
