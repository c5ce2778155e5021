package dev.shardpipe.core.event;

import dev.shardpipe.core.routing.ShardKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A tweet upserted or deleted.
 *
 * @param op upsert or delete
 * @param id the tweet's id
 * @param occurredAt when it happened, truncated to microseconds
 * @param data the tweet; its {@code text} is required for an upsert
 */
public record TweetEvent(Op op, UUID id, Instant occurredAt, Tweet data) implements Event {

  /**
   * Checks the event and truncates {@code occurredAt} to microseconds.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if an upsert has no text
   */
  public TweetEvent {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(id, "id");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(data, "data");
    if (op == Op.UPSERT && data.text() == null) {
      throw new IllegalArgumentException("text: is required for an upsert");
    }
  }

  /**
   * Creates an upsert.
   *
   * @param id the tweet's id
   * @param occurredAt when it happened
   * @param location 1 to 64 characters
   * @param ownerId {@code >= 0}
   * @param text 1 to 280 characters
   * @param likeCount {@code >= 0}
   * @return the event
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static TweetEvent upsert(
      UUID id, Instant occurredAt, String location, long ownerId, String text, int likeCount) {
    return new TweetEvent(Op.UPSERT, id, occurredAt, new Tweet(location, ownerId, text, likeCount));
  }

  /**
   * Creates a delete; it carries the shard key so that it can be routed.
   *
   * @param id the tweet's id
   * @param occurredAt when it happened
   * @param location the tweet's location
   * @param ownerId the tweet's owner
   * @return the event
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static TweetEvent delete(UUID id, Instant occurredAt, String location, long ownerId) {
    return new TweetEvent(Op.DELETE, id, occurredAt, new Tweet(location, ownerId, null, 0));
  }

  @Override
  public EventKind type() {
    return EventKind.TWEET;
  }

  @Override
  public String shardKey() {
    return ShardKey.ofTweet(data.location(), data.ownerId());
  }
}
