package dev.shardpipe.loadgen.source;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.FileMetadata;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;
import net.datafaker.Faker;
import org.apache.tika.Tika;

/**
 * Fake events from Datafaker, repeatable by seed: the same seed and count give the same ids, shard
 * keys and texts, so a rerun adds no rows ({@link StableIds#synthetic}); {@code occurred_at} is the
 * moment each event is made.
 *
 * <p>Tweets: a location from a real time zone Datafaker picks, mapped like a git author's offset
 * ({@link Locations}) but from the zone's standard offset at a fixed instant, so that a zone that
 * crosses a range boundary with daylight saving time (America/St_Johns, -3:30 and -2:30) gives the
 * same location, hence the same shard key and partition, whenever the run happens; an owner drawn
 * uniformly from {@code 1..owners}; text from Datafaker's quote providers, with a hashtag now and
 * then. Files: a realistic name with an extension, the media type Apache Tika gives that name, a
 * log-normal size (median 32 KiB), a user from {@code 1..users}.
 *
 * <p>Making a Datafaker value costs microseconds, too much at 100 000 events/s, so each source
 * draws its values from pools of {@value #POOL} made once from the seed.
 */
public final class SyntheticSource implements EventSource {

  /** Distinct texts, locations and file names drawn from: {@value}. */
  public static final int POOL = 4096;

  private static final double MEDIAN_FILE_BYTES = 32 * 1024;

  /** When the standard offsets of the time zones are read: the tz database's rules change. */
  private static final Instant OFFSETS_AT = Instant.parse("2025-01-01T00:00:00Z");

  private final EventKind type;
  private final long seed;
  private final long count;
  private final long keys;
  private final Clock clock;
  private final Random random;
  private final List<String> locations = new ArrayList<>(POOL);
  private final List<String> texts = new ArrayList<>(POOL);
  private final List<String[]> files = new ArrayList<>(POOL);
  private final SourceTally tally = new SourceTally();
  private long made;

  private SyntheticSource(EventKind type, long seed, long count, long keys, Clock clock) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    if (keys < 1) {
      throw new IllegalArgumentException("owners or users must be >= 1, was " + keys);
    }
    this.type = type;
    this.seed = seed;
    this.count = count;
    this.keys = keys;
    this.clock = clock;
    this.random = new Random(seed);
    Faker faker = new Faker(new Random(seed));
    if (type == EventKind.TWEET) {
      fillTweetPools(faker);
    } else {
      fillFilePools(faker);
    }
  }

  /**
   * Creates a source of fake tweets.
   *
   * @param seed the seed
   * @param count how many events, or {@link Long#MAX_VALUE} for as many as asked for
   * @param owners owners are drawn from {@code 1..owners}
   * @param clock gives {@code occurred_at}
   * @return the source
   * @throws IllegalArgumentException if {@code count < 0} or {@code owners < 1}
   */
  public static SyntheticSource tweets(long seed, long count, long owners, Clock clock) {
    return new SyntheticSource(EventKind.TWEET, seed, count, owners, clock);
  }

  /**
   * Creates a source of fake file metadata.
   *
   * @param seed the seed
   * @param count how many events, or {@link Long#MAX_VALUE} for as many as asked for
   * @param users users are drawn from {@code 1..users}
   * @param clock gives {@code occurred_at}
   * @return the source
   * @throws IllegalArgumentException if {@code count < 0} or {@code users < 1}
   */
  public static SyntheticSource files(long seed, long count, long users, Clock clock) {
    return new SyntheticSource(EventKind.FILE, seed, count, users, clock);
  }

  private void fillTweetPools(Faker faker) {
    List<Supplier<String>> quotes =
        List.of(
            () -> faker.yoda().quote(),
            () -> faker.famousLastWords().lastWords(),
            () -> faker.chuckNorris().fact(),
            () -> faker.hitchhikersGuideToTheGalaxy().quote(),
            () -> faker.movie().quote(),
            () -> faker.friends().quote(),
            () -> faker.simpsons().quote());
    while (texts.size() < POOL) {
      String text = quotes.get(random.nextInt(quotes.size())).get();
      if (random.nextInt(4) == 0) {
        text = text + " #" + faker.word().noun();
      }
      text = Texts.cut(text.strip(), Tweet.TEXT_MAX_LENGTH);
      if (!text.isEmpty()) {
        texts.add(text);
      }
    }
    while (locations.size() < POOL) {
      try {
        ZoneId zone = ZoneId.of(faker.address().timeZone());
        locations.add(Locations.of(zone.getRules().getStandardOffset(OFFSETS_AT)));
      } catch (DateTimeException e) {
        // A zone name Datafaker knows and this JDK does not: draw another.
      }
    }
  }

  private void fillFilePools(Faker faker) {
    Tika tika = new Tika();
    while (files.size() < POOL) {
      String name =
          faker.file().fileName(null, null, faker.file().extension(), "/").replace(' ', '_');
      if (Texts.length(name) <= FileMetadata.FILE_NAME_MAX_LENGTH) {
        files.add(new String[] {name, tika.detect(name)});
      }
    }
  }

  @Override
  public boolean hasNext() {
    return made < count;
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    long n = made++;
    tally.event();
    Instant now = clock.instant();
    if (type == EventKind.TWEET) {
      return TweetEvent.upsert(
          StableIds.synthetic(seed, type, n),
          now,
          locations.get(random.nextInt(POOL)),
          1 + (long) (random.nextDouble() * keys),
          texts.get(random.nextInt(POOL)),
          random.nextInt(100) < 70 ? 0 : random.nextInt(1000));
    }
    String[] file = files.get(random.nextInt(POOL));
    long size = (long) Math.exp(Math.log(MEDIAN_FILE_BYTES) + 2 * random.nextGaussian());
    return FileEvent.upsert(
        StableIds.synthetic(seed, type, n),
        now,
        1 + (long) (random.nextDouble() * keys),
        file[0],
        size,
        file[1]);
  }

  @Override
  public String description() {
    return "synthetic "
        + type.wireName()
        + "s, seed "
        + seed
        + ", "
        + (type == EventKind.TWEET ? "owners 1.." : "users 1..")
        + keys;
  }

  @Override
  public OptionalLong expectedEvents() {
    return count == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(count);
  }

  @Override
  public SourceCounts counts() {
    return tally.snapshot();
  }

  @Override
  public void close() {
    // Holds nothing open.
  }
}
