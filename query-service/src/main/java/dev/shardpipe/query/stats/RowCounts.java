package dev.shardpipe.query.stats;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * Rows per table (SPEC 5).
 *
 * @param tweets rows of {@code tweets}
 * @param fileMetadata rows of {@code file_metadata}
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RowCounts(long tweets, long fileMetadata) {

  /** No rows. */
  static final RowCounts ZERO = new RowCounts(0, 0);

  RowCounts plus(RowCounts other) {
    return new RowCounts(tweets + other.tweets, fileMetadata + other.fileMetadata);
  }
}
