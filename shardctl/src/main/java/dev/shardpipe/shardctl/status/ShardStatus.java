package dev.shardpipe.shardctl.status;

import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * One shard as {@code shardctl status} shows it.
 *
 * @param name the shard's name
 * @param url the JDBC URL of its database
 * @param region its region, or null
 * @param state {@code active}, {@code draining} or {@code removed}
 * @param partitions the partitions placed on it, ascending
 * @param tweets rows of {@code tweets} in those partitions; null when the shard could not be read
 * @param fileMetadata rows of {@code file_metadata} in those partitions; null likewise
 */
public record ShardStatus(
    String name,
    String url,
    @Nullable String region,
    String state,
    List<Integer> partitions,
    @Nullable Long tweets,
    @Nullable Long fileMetadata) {

  /** Copies the partitions. */
  public ShardStatus {
    partitions = List.copyOf(partitions);
  }
}
