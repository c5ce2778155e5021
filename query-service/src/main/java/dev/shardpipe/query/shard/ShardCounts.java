package dev.shardpipe.query.shard;

import java.util.Map;

/**
 * What one shard holds, per partition placed on it. A partition without rows, or never applied, is
 * absent from the map concerned.
 *
 * @param tweets rows of {@code tweets} per partition
 * @param fileMetadata rows of {@code file_metadata} per partition
 * @param appliedOffsets {@code applied_offsets.next_offset} of the events topic per partition: the
 *     next Kafka offset the shard's writer will apply
 */
public record ShardCounts(
    Map<Integer, Long> tweets, Map<Integer, Long> fileMetadata, Map<Integer, Long> appliedOffsets) {

  /** Copies the maps. */
  public ShardCounts {
    tweets = Map.copyOf(tweets);
    fileMetadata = Map.copyOf(fileMetadata);
    appliedOffsets = Map.copyOf(appliedOffsets);
  }
}
