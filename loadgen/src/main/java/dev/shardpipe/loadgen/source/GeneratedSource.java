package dev.shardpipe.loadgen.source;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.generator.OccurredAt;
import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Fake events from the project's one generator ({@link EventGenerator}), repeatable by seed: the
 * same seed and count give the same ids ({@link StableIds#synthetic}), shard keys and texts, so a
 * rerun adds no rows; {@code occurred_at} is the moment each event is made.
 *
 * <p>Tweets: a location from a real time zone ({@link dev.shardpipe.generator.Locations}), an owner
 * from {@code 1..owners}, a quote as text and, like a real timeline, no like for 70% of them.
 * Files: a name with a real extension, a media type, a log-normal size, a user from {@code
 * 1..users}. Values come from pools of {@value EventGenerator#DEFAULT_POOL} made once from the
 * seed, to keep up with 100 000 events/s.
 */
public final class GeneratedSource implements EventSource {

  /** The share of tweets with no like: {@value}. */
  static final double UNLIKED_SHARE = 0.7;

  private final EventKind type;
  private final long seed;
  private final long count;
  private final long keys;
  private final EventGenerator generator;
  private final SourceTally tally = new SourceTally();
  private long made;

  private GeneratedSource(EventKind type, long seed, long count, long keys, Clock clock) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    this.type = type;
    this.seed = seed;
    this.count = count;
    this.keys = keys;
    this.generator =
        EventGenerator.builder(seed)
            .ids((n, occurredAt) -> StableIds.synthetic(seed, type, n))
            .occurredAt(OccurredAt.now(clock))
            .tweetShare(type == EventKind.TWEET ? 1 : 0)
            .keys(keys)
            .unlikedShare(UNLIKED_SHARE)
            .build();
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
  public static GeneratedSource tweets(long seed, long count, long owners, Clock clock) {
    return new GeneratedSource(EventKind.TWEET, seed, count, owners, clock);
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
  public static GeneratedSource files(long seed, long count, long users, Clock clock) {
    return new GeneratedSource(EventKind.FILE, seed, count, users, clock);
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
    made++;
    tally.event();
    return generator.next();
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
