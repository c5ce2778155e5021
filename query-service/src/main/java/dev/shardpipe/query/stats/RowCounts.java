package dev.shardpipe.query.stats;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * Rows per table (docs/contract.md §5).
 *
 * @param tweets rows of {@code tweets}
 * @param fileMetadata rows of {@code file_metadata}
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RowCounts(long tweets, long fileMetadata) {

  /** Both counts, or null when either is unknown. */
  static @Nullable RowCounts of(@Nullable Long tweets, @Nullable Long fileMetadata) {
    return tweets == null || fileMetadata == null ? null : new RowCounts(tweets, fileMetadata);
  }
}
