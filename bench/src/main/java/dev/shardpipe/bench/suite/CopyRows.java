package dev.shardpipe.bench.suite;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.generator.OccurredAt;
import dev.shardpipe.generator.TweetTexts;
import java.time.Duration;
import java.time.Instant;

/**
 * The suite's rows for {@code COPY ... FROM STDIN} in text format, for the read figures' tables and
 * the moved partition: events of the project's generator ({@link #generator}) written one line per
 * row in the column order of {@link ReadData#copyIn}, a tab between columns.
 */
final class CopyRows {

  /** Distinct texts and file names the rows draw from: {@value}. */
  static final int POOL = 2048;

  /** How far back the rows' {@code occurred_at} go before the load. */
  static final Duration SPAN = Duration.ofDays(30);

  private CopyRows() {}

  /**
   * The generator of the suite's rows: random UUIDv4 ids, lorem texts of 3 to 27 words (and
   * Datafaker's 0 to 5 more), like counts below 1000, file names with a real extension and its
   * media type, log-normal file sizes (median 32 KiB), users uniform in {@code 1..keys}, and times
   * spread over the {@link #SPAN} before {@code end}. The same seed and end give the same rows.
   *
   * @param seed the seed
   * @param keys users of files are drawn from {@code 1..keys}; tweets take the caller's owner
   * @param end the latest {@code occurred_at}
   * @return the generator
   */
  static EventGenerator generator(long seed, long keys, Instant end) {
    return EventGenerator.builder(seed)
        .occurredAt(OccurredAt.spreadBefore(end, SPAN))
        .keys(keys)
        .texts(TweetTexts.lorem(3, 27))
        .pool(POOL)
        .build();
  }

  /**
   * Appends a tweet's row.
   *
   * @param rows where
   * @param tweet an upsert
   * @param partition the partition its shard key routes to
   */
  static void tweet(StringBuilder rows, TweetEvent tweet, int partition) {
    rows.append(tweet.id())
        .append('\t')
        .append(escaped(tweet.data().location()))
        .append('\t')
        .append(tweet.data().ownerId())
        .append('\t')
        .append(escaped(tweet.data().text()))
        .append('\t')
        .append(tweet.data().likeCount())
        .append('\t')
        .append(tweet.occurredAt())
        .append('\t')
        .append(partition)
        .append('\n');
  }

  /**
   * Appends a file's metadata row.
   *
   * @param rows where
   * @param file an upsert
   * @param partition the partition its user routes to
   */
  static void file(StringBuilder rows, FileEvent file, int partition) {
    rows.append(file.id())
        .append('\t')
        .append(file.data().userId())
        .append('\t')
        .append(escaped(file.data().fileName()))
        .append('\t')
        .append(file.data().sizeBytes())
        .append('\t')
        .append(escaped(file.data().contentType()))
        .append('\t')
        .append(file.occurredAt())
        .append('\t')
        .append(partition)
        .append('\n');
  }

  /**
   * A text column in {@code COPY}'s text format: backslash, tab, newline and carriage return
   * escaped with a backslash (PostgreSQL's COPY, "Text Format").
   */
  static String escaped(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }
}
