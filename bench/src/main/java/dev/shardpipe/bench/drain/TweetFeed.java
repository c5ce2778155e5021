package dev.shardpipe.bench.drain;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import com.fasterxml.uuid.UUIDClock;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Fake tweets shaped like ingest-api's: time-ordered UUIDv7 ids (or random UUIDv4 ids, {@link
 * TweetIds}) and increasing {@code occurred_at} one millisecond apart, half from {@code europe} and
 * half from {@code usa} (so both shards get about half), random owners and lorem text up to 280
 * characters. The same seed gives the same events. The writer-drain benchmark pre-fills its topic
 * with them; the suite gives Kafka's own tools the same records.
 */
public final class TweetFeed {

  private static final Instant START = Instant.parse("2026-11-21T00:00:00Z");
  private static final int OWNERS = 1_000_000;

  private TweetFeed() {}

  /**
   * Makes the events with UUIDv7 ids.
   *
   * @param count how many
   * @param seed the seed; the same seed gives the same events
   * @return {@code count} tweet upserts, {@code occurred_at} from 2026-11-21T00:00:00Z one ms apart
   */
  public static List<TweetEvent> generate(int count, long seed) {
    return generate(count, seed, TweetIds.V7);
  }

  /**
   * Makes the events.
   *
   * @param count how many
   * @param seed the seed; the same seed and id kind give the same events, and both id kinds the
   *     same rows but for their ids
   * @param kind how the ids are made
   * @return {@code count} tweet upserts, {@code occurred_at} from 2026-11-21T00:00:00Z one ms apart
   */
  public static List<TweetEvent> generate(int count, long seed, TweetIds kind) {
    Random random = new Random(seed);
    Faker faker = new Faker(random);
    SteppedClock clock = new SteppedClock();
    // The ids draw from their own generator, so that both kinds get the same texts and owners.
    Random idRandom = new Random(seed);
    NoArgGenerator ids =
        kind == TweetIds.V7
            ? Generators.timeBasedEpochGenerator(idRandom, clock)
            : Generators.randomBasedGenerator(idRandom);
    List<TweetEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      clock.millis = START.toEpochMilli() + i;
      String text = faker.lorem().sentence(3 + random.nextInt(40));
      if (text.length() > Tweet.TEXT_MAX_LENGTH) {
        text = text.substring(0, Tweet.TEXT_MAX_LENGTH);
      }
      events.add(
          TweetEvent.upsert(
              ids.generate(),
              Instant.ofEpochMilli(clock.millis),
              random.nextBoolean() ? "europe" : "usa",
              random.nextInt(OWNERS),
              text,
              random.nextInt(1_000)));
    }
    return events;
  }

  /** A clock the feed sets, so that ids are as time-ordered as the events and reproducible. */
  private static final class SteppedClock extends UUIDClock {
    private long millis;

    @Override
    public long currentTimeMillis() {
      return millis;
    }
  }
}
