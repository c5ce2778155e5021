package dev.shardpipe.testing;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builders of valid events for tests, each with a fresh id and an increasing time. */
public final class TestEvents {

  private static final Instant EPOCH = Instant.parse("2026-11-21T10:00:00Z");
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TestEvents() {}

  /**
   * Returns an instant later than any returned before in this JVM, one millisecond apart.
   *
   * @return the instant
   */
  public static Instant nextInstant() {
    return EPOCH.plus(SEQUENCE.incrementAndGet(), ChronoUnit.MILLIS);
  }

  /**
   * Creates a tweet upsert with a random id.
   *
   * @param location the location
   * @param ownerId the owner
   * @return the event
   */
  public static TweetEvent tweet(String location, long ownerId) {
    Instant at = nextInstant();
    return TweetEvent.upsert(
        UUID.randomUUID(), at, location, ownerId, "tweet by " + ownerId + " at " + at, 0);
  }

  /**
   * Creates a file upsert with a random id.
   *
   * @param userId the owner
   * @return the event
   */
  public static FileEvent file(long userId) {
    Instant at = nextInstant();
    return FileEvent.upsert(
        UUID.randomUUID(), at, userId, "files/" + userId + "/" + at + ".txt", 1024L, "text/plain");
  }
}
