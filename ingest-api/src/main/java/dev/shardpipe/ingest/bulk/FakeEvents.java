package dev.shardpipe.ingest.bulk;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.FileMetadata;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import net.datafaker.Faker;

/**
 * Synthetic but valid events for demo load ({@code POST /ingest/bulk}, docs/contract.md §6), made
 * with Datafaker: lorem-ipsum tweets from a few locations and files with plausible names, sizes and
 * media types. Not thread-safe: one instance per request.
 */
public final class FakeEvents {

  /**
   * The locations tweets come from: both of the default routing's ranges and one that is in none,
   * so that every partition receives events.
   */
  private static final String[] LOCATIONS = {"europe", "usa", "asia"};

  /** Owners and users are drawn from {@code 0..}{@value}, so that some post more than once. */
  private static final long MAX_USER = 100_000;

  private final Faker faker;
  private final Supplier<UUID> ids;

  /**
   * Creates a generator.
   *
   * @param random the randomness; a fixed seed gives the same events apart from their ids
   * @param ids supplies each event's id
   */
  public FakeEvents(Random random, Supplier<UUID> ids) {
    this.faker = new Faker(random);
    this.ids = ids;
  }

  /**
   * Generates tweet upserts.
   *
   * @param count how many
   * @param now their {@code occurred_at}
   * @return valid events
   */
  public List<TweetEvent> tweets(int count, Instant now) {
    List<TweetEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(
          TweetEvent.upsert(
              ids.get(),
              now,
              faker.options().option(LOCATIONS),
              faker.number().numberBetween(0L, MAX_USER),
              truncate(faker.lorem().sentence(12), Tweet.TEXT_MAX_LENGTH),
              faker.number().numberBetween(0, 1_000)));
    }
    return events;
  }

  /**
   * Generates file upserts.
   *
   * @param count how many
   * @param now their {@code occurred_at}
   * @return valid events
   */
  public List<FileEvent> files(int count, Instant now) {
    List<FileEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(
          FileEvent.upsert(
              ids.get(),
              now,
              faker.number().numberBetween(0L, MAX_USER),
              truncate(faker.file().fileName(), FileMetadata.FILE_NAME_MAX_LENGTH),
              faker.number().numberBetween(0L, 50_000_000L),
              truncate(faker.file().mimeType(), FileMetadata.CONTENT_TYPE_MAX_LENGTH)));
    }
    return events;
  }

  private static String truncate(String text, int maxCodePoints) {
    return text.codePointCount(0, text.length()) <= maxCodePoints
        ? text
        : text.substring(0, text.offsetByCodePoints(0, maxCodePoints));
  }
}
