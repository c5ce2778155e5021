package dev.shardpipe.core.routing;

import io.micronaut.core.annotation.Nullable;

/**
 * The shard key of an event, as written in a record key (docs/contract.md §3): {@code europe/42}
 * for a tweet (location, then owner id after the last slash), {@code 42} for a file (user id).
 *
 * @param location the tweet's location, or null for a file
 * @param id the tweet's {@code owner_id} or the file's {@code user_id}, {@code >= 0}
 */
public record ShardKey(@Nullable String location, long id) {

  /**
   * Returns the record key of a tweet.
   *
   * @param location the tweet's location
   * @param ownerId the tweet's owner id
   * @return {@code <location>/<ownerId>}
   */
  public static String ofTweet(String location, long ownerId) {
    return location + "/" + ownerId;
  }

  /**
   * Returns the record key of a file.
   *
   * @param userId the file's user id
   * @return the user id as decimal text
   */
  public static String ofFile(long userId) {
    return Long.toString(userId);
  }

  /**
   * Parses a record key.
   *
   * @param recordKey {@code <location>/<owner_id>} or {@code <user_id>}
   * @return the shard key
   * @throws IllegalArgumentException if the key is null, or the id is not a decimal {@code long >=
   *     0}, or the location is empty
   */
  public static ShardKey parse(@Nullable String recordKey) {
    if (recordKey == null) {
      throw new IllegalArgumentException(
          "record key is missing: expected <location>/<owner_id> or <user_id>");
    }
    int slash = recordKey.lastIndexOf('/');
    String location = slash < 0 ? null : recordKey.substring(0, slash);
    if (location != null && location.isEmpty()) {
      throw new IllegalArgumentException(
          "record key \"" + recordKey + "\" has an empty location before the slash");
    }
    String digits = recordKey.substring(slash + 1);
    long id;
    try {
      id = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      id = -1;
    }
    // Only the canonical decimal form: "007" would hash differently from the "7" Kafka's default
    // partitioner sees for the same file, breaking the docs/contract.md §4 promise.
    if (id < 0 || !Long.toString(id).equals(digits)) {
      throw new IllegalArgumentException(
          "record key \""
              + recordKey
              + "\" does not end in a canonical decimal id >= 0: expected <location>/<owner_id> or"
              + " <user_id>");
    }
    return new ShardKey(location, id);
  }
}
