package dev.shardpipe.bench.suite;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.datafaker.Faker;

/**
 * The suite's one generator of fake rows for {@code COPY}, for the read figures' tables and the
 * moved partition: random ids, lorem texts of 3 to 27 words (words and dots only, nothing {@code
 * COPY}'s text format would have to escape), like counts below 1000, file names with a real
 * extension and its media type, log-normal file sizes (median 32 KiB), and times spread over the 30
 * days before {@code end}. Each row is one line in the column order of {@link ReadData#copyIn}. The
 * same seed and end give the same rows.
 */
final class FakeRows {

  private static final int POOL = 2048;
  private static final double MEDIAN_FILE_BYTES = 32 * 1024;
  private static final long SPAN_MILLIS = ChronoUnit.DAYS.getDuration().multipliedBy(30).toMillis();

  private final Random random;
  private final Instant end;
  private final List<String> texts = new ArrayList<>(POOL);
  private final List<String[]> files = new ArrayList<>(POOL);

  /**
   * Makes the pools of texts and file names the rows draw from.
   *
   * @param seed the seed
   * @param end the latest {@code occurred_at}
   */
  FakeRows(long seed, Instant end) {
    this.random = new Random(seed);
    this.end = end;
    Faker faker = new Faker(new Random(seed));
    for (int i = 0; i < POOL; i++) {
      texts.add(faker.lorem().sentence(3 + random.nextInt(25)));
      files.add(
          new String[] {
            faker.lorem().word() + "/" + faker.lorem().word() + "." + faker.file().extension(),
            faker.file().mimeType()
          });
    }
  }

  /**
   * Draws a key uniformly.
   *
   * @param keys how many
   * @return one of {@code 1..keys}
   */
  long key(long keys) {
    return 1 + (long) (random.nextDouble() * keys);
  }

  /**
   * Appends a tweet row.
   *
   * @param rows where
   * @param location the tweet's location
   * @param owner its owner
   * @param partition the partition its shard key routes to
   */
  void tweet(StringBuilder rows, String location, long owner, int partition) {
    rows.append(id())
        .append('\t')
        .append(location)
        .append('\t')
        .append(owner)
        .append('\t')
        .append(texts.get(random.nextInt(POOL)))
        .append('\t')
        .append(random.nextInt(1000))
        .append('\t')
        .append(occurredAt())
        .append('\t')
        .append(partition)
        .append('\n');
  }

  /**
   * Appends a file metadata row.
   *
   * @param rows where
   * @param user the file's user
   * @param partition the partition the user routes to
   */
  void file(StringBuilder rows, long user, int partition) {
    String[] file = files.get(random.nextInt(POOL));
    rows.append(id())
        .append('\t')
        .append(user)
        .append('\t')
        .append(file[0])
        .append('\t')
        .append((long) Math.exp(Math.log(MEDIAN_FILE_BYTES) + 2 * random.nextGaussian()))
        .append('\t')
        .append(file[1])
        .append('\t')
        .append(occurredAt())
        .append('\t')
        .append(partition)
        .append('\n');
  }

  private UUID id() {
    return new UUID(random.nextLong(), random.nextLong());
  }

  private Instant occurredAt() {
    return end.minusMillis((long) (random.nextDouble() * SPAN_MILLIS));
  }
}
