package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code data} of a tweet event (docs/contract.md §3).
 *
 * @param location where the tweet was written, 1 to {@value #LOCATION_MAX_LENGTH} characters; the
 *     first part of the shard key
 * @param ownerId the author, {@code >= 0}; the second part of the shard key
 * @param text the tweet, 1 to {@value #TEXT_MAX_LENGTH} characters; null in a delete
 * @param likeCount likes, {@code >= 0}
 */
public record Tweet(String location, long ownerId, @Nullable String text, int likeCount) {

  /** Longest {@code location}, in characters (code points): {@value}. */
  public static final int LOCATION_MAX_LENGTH = 64;

  /** Longest {@code text}, in characters (code points): {@value}. */
  public static final int TEXT_MAX_LENGTH = 280;

  /**
   * Checks every field against docs/contract.md §3.
   *
   * @throws IllegalArgumentException naming the first invalid field
   */
  public Tweet {
    FieldRules.require("location", location, LOCATION_MAX_LENGTH);
    FieldRules.check("owner_id", ownerId);
    FieldRules.check("text", text, TEXT_MAX_LENGTH);
    FieldRules.check("like_count", likeCount);
  }
}
