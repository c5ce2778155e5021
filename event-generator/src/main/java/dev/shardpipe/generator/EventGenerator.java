package dev.shardpipe.generator;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.datafaker.Faker;

/**
 * The one generator of synthetic but valid events: tweet and file metadata upserts with Datafaker
 * texts and names, repeatable by seed. The same seed and options give the same events in the same
 * order, ids included when the ids are seeded ({@link EventIds#randomV4}, {@link
 * EventIds#timeOrderedV7}), {@code occurred_at} included when the times do not come from a running
 * clock. Every event is one that core's {@code EventKind} accepts.
 *
 * <p>Tweets: a location drawn uniformly from a list, or from real time zones as loadgen's git
 * history maps an author's offset ({@link Locations}), read at a fixed instant so that a tweet's
 * shard key does not depend on the date of the run; an owner uniform in {@code 1..keys}; a text of
 * the chosen {@link TweetTexts}, cut to {@value Tweet#TEXT_MAX_LENGTH} code points; a like count
 * that is 0 for a share of them and otherwise uniform in {@code 0..999}. Files: a user uniform in
 * {@code 1..keys}; a name {@code word/word.ext} of two lorem words and a real extension, and a
 * media type Datafaker draws apart from the name; a log-normal size (median {@value
 * #MEDIAN_FILE_BYTES} bytes).
 *
 * <p>Not thread-safe: one instance per thread or request.
 */
public final class EventGenerator {

  /** Owners and users are drawn from {@code 1..}{@value} unless {@link Builder#keys} says. */
  public static final long DEFAULT_KEYS = 100_000;

  /** Texts, time-zone locations and file names are drawn from {@value} made once. */
  public static final int DEFAULT_POOL = 4096;

  /** The median size of a file: {@value} bytes (32 KiB). */
  public static final long MEDIAN_FILE_BYTES = 32 * 1024;

  /**
   * Sigma of the log of a file size: most files are 1 KiB to 1 MiB, a few reach hundreds of MiB.
   */
  private static final double FILE_SIZE_SIGMA = 2;

  /** Like counts, when not 0, are drawn from {@code 0..}{@value}{@code - 1}. */
  private static final int LIKES = 1000;

  /** When the standard offsets of the time zones are read: the tz database's rules change. */
  private static final Instant OFFSETS_AT = Instant.parse("2025-01-01T00:00:00Z");

  private final Random random;
  private final EventIds ids;
  private final OccurredAt occurredAt;
  private final double tweetShare;
  private final long keys;
  private final double unlikedShare;
  private final Supplier<String> locations;
  private final Pool<String> texts;
  private final Pool<String[]> files;
  private long made;

  private EventGenerator(Builder options) {
    Random root = new Random(options.seed);
    // Datafaker gets a stream of its own: how many values it takes per call may change with its
    // version, and the owners, likes and sizes drawn beside it should not.
    this.random = new Random(root.nextLong());
    Faker faker = new Faker(new Random(root.nextLong()));
    this.ids = options.ids != null ? options.ids : EventIds.randomV4(options.seed);
    this.occurredAt = options.occurredAt;
    this.tweetShare = options.tweetShare;
    this.keys = options.keys;
    this.unlikedShare = options.unlikedShare;
    if (options.locations != null) {
      List<String> fixed = options.locations;
      this.locations = () -> fixed.get(random.nextInt(fixed.size()));
    } else {
      this.locations = new Pool<>(options.pool, () -> timeZoneLocation(faker), random)::draw;
    }
    TweetTexts.Maker text = options.texts.maker();
    this.texts = new Pool<>(options.pool, () -> text(faker, text), random);
    this.files = new Pool<>(options.pool, () -> file(faker), random);
  }

  /**
   * Starts the options of a generator.
   *
   * @param seed the seed of everything the generator draws, and of its default ids
   * @return the options, at their defaults
   */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /**
   * Makes the next event, a tweet or a file by the options' share of tweets.
   *
   * @return an upsert
   */
  public Event next() {
    if (tweetShare == 1 || (tweetShare > 0 && random.nextDouble() < tweetShare)) {
      return tweet();
    }
    return file();
  }

  /**
   * Makes the next events.
   *
   * @param count how many, {@code >= 0}
   * @return {@code count} upserts, by the options' share of tweets
   */
  public List<Event> next(int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(next());
    }
    return events;
  }

  /**
   * Makes a tweet with a drawn location and owner.
   *
   * @return a tweet upsert
   */
  public TweetEvent tweet() {
    return tweet(locations.get(), key());
  }

  /**
   * Makes a tweet from a location and an owner the caller chose, for example to fill one partition.
   *
   * @param location its location, 1 to {@value Tweet#LOCATION_MAX_LENGTH} characters
   * @param owner its owner, {@code >= 0}
   * @return a tweet upsert
   * @throws IllegalArgumentException if core refuses the location or the owner
   */
  public TweetEvent tweet(String location, long owner) {
    long n = made++;
    Instant at = occurredAt.at(n, random);
    String text = texts.draw();
    int likes = unlikedShare > 0 && random.nextDouble() < unlikedShare ? 0 : random.nextInt(LIKES);
    return TweetEvent.upsert(ids.id(n, at), at, location, owner, text, likes);
  }

  /**
   * Makes a file with a drawn user.
   *
   * @return a file metadata upsert
   */
  public FileEvent file() {
    long n = made++;
    Instant at = occurredAt.at(n, random);
    long user = key();
    String[] file = files.draw();
    long size =
        (long) Math.exp(Math.log(MEDIAN_FILE_BYTES) + FILE_SIZE_SIGMA * random.nextGaussian());
    return FileEvent.upsert(ids.id(n, at), at, user, file[0], size, file[1]);
  }

  private long key() {
    return 1 + (long) (random.nextDouble() * keys);
  }

  private String text(Faker faker, TweetTexts.Maker maker) {
    for (; ; ) {
      String text = Texts.cut(maker.make(faker, random).strip(), Tweet.TEXT_MAX_LENGTH).strip();
      if (!text.isEmpty()) {
        return text;
      }
    }
  }

  private static String timeZoneLocation(Faker faker) {
    for (; ; ) {
      try {
        ZoneId zone = ZoneId.of(faker.address().timeZone());
        return Locations.of(zone.getRules().getStandardOffset(OFFSETS_AT));
      } catch (DateTimeException e) {
        // A zone name Datafaker knows and this JDK does not: draw another.
      }
    }
  }

  private static String[] file(Faker faker) {
    // Two lorem words and a real extension: a few dozen characters, far below the name's limit.
    String name =
        faker.lorem().word() + "/" + faker.lorem().word() + "." + faker.file().extension();
    return new String[] {name, faker.file().mimeType()};
  }

  /** A generator's options; each setter checks its value and names it when it refuses it. */
  public static final class Builder {

    private final long seed;
    private EventIds ids;
    private OccurredAt occurredAt = OccurredAt.now(Clock.systemUTC());
    private double tweetShare = 0.5;
    private long keys = DEFAULT_KEYS;
    private List<String> locations;
    private TweetTexts texts = TweetTexts.quotes();
    private double unlikedShare;
    private int pool = DEFAULT_POOL;

    private Builder(long seed) {
      this.seed = seed;
    }

    /**
     * Sets how ids are made. Default: {@link EventIds#randomV4} of the seed.
     *
     * @param ids the ids
     * @return this
     */
    public Builder ids(EventIds ids) {
      this.ids = ids;
      return this;
    }

    /**
     * Sets how events are dated. Default: {@link OccurredAt#now} of the system clock.
     *
     * @param occurredAt the times
     * @return this
     */
    public Builder occurredAt(OccurredAt occurredAt) {
      this.occurredAt = occurredAt;
      return this;
    }

    /**
     * Sets the share of tweets among the events {@link #next()} makes; the rest are files. Default:
     * 0.5.
     *
     * @param share 0 (files only) to 1 (tweets only)
     * @return this
     * @throws IllegalArgumentException if not in {@code 0..1}
     */
    public Builder tweetShare(double share) {
      this.tweetShare = share(share, "tweet share");
      return this;
    }

    /**
     * Sets how many owners (tweets) or users (files) there are. Default: {@value #DEFAULT_KEYS}.
     *
     * @param keys they are drawn uniformly from {@code 1..keys}
     * @return this
     * @throws IllegalArgumentException if {@code keys < 1}
     */
    public Builder keys(long keys) {
      if (keys < 1) {
        throw new IllegalArgumentException("owners or users must be >= 1, was " + keys);
      }
      this.keys = keys;
      return this;
    }

    /**
     * Draws tweets' locations uniformly from these. Default: from real time zones, {@link
     * Locations}.
     *
     * @param locations at least one, each 1 to {@value Tweet#LOCATION_MAX_LENGTH} characters
     * @return this
     * @throws IllegalArgumentException if there is none, or one core refuses
     */
    public Builder locations(String... locations) {
      if (locations.length == 0) {
        throw new IllegalArgumentException("locations must name at least one");
      }
      for (String location : locations) {
        // Core's own check, on a tweet that carries nothing else.
        new Tweet(location, 0, null, 0);
      }
      this.locations = List.of(locations);
      return this;
    }

    /**
     * Sets what tweets say. Default: {@link TweetTexts#quotes()}.
     *
     * @param texts the texts
     * @return this
     */
    public Builder texts(TweetTexts texts) {
      this.texts = texts;
      return this;
    }

    /**
     * Sets the share of tweets with no like; the others have 0 to 999, uniformly. Default: 0.
     *
     * @param share 0 to 1
     * @return this
     * @throws IllegalArgumentException if not in {@code 0..1}
     */
    public Builder unlikedShare(double share) {
      this.unlikedShare = share(share, "unliked share");
      return this;
    }

    /**
     * Sets how many texts, time-zone locations and file names are made once to draw from; 0 makes a
     * fresh one for every event, which costs microseconds each. Default: {@value #DEFAULT_POOL}.
     *
     * @param pool {@code >= 0}
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public Builder pool(int pool) {
      if (pool < 0) {
        throw new IllegalArgumentException("pool must be >= 0, was " + pool);
      }
      this.pool = pool;
      return this;
    }

    /**
     * Makes the generator.
     *
     * @return a generator that has made nothing yet
     */
    public EventGenerator build() {
      return new EventGenerator(this);
    }

    private static double share(double share, String name) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException(name + " must be 0 to 1, was " + share);
      }
      return share;
    }
  }
}
