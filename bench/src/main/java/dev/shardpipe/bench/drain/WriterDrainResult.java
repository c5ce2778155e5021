package dev.shardpipe.bench.drain;

import java.time.Duration;
import java.util.Map;

/**
 * What one writer-drain run measured.
 *
 * @param events the events in the topic, each one row in the end
 * @param rowsPerShard rows each shard held at the end
 * @param produce how long pre-filling the topic took (not part of any rate)
 * @param writersWall from launching the writer JVMs to the last offset committed: JVM start,
 *     migration and draining
 * @param writersDrain from the first offset committed to the last: draining alone
 * @param baseline the plain JDBC batch upsert of the same rows into one table of the same schema
 * @param baselinePrimaryKeyOnly the same upsert into the same table emptied and left with its
 *     primary key only, without the read indexes
 * @param writersCpu CPU time of the writer JVMs from launch to the last commit, start-up included
 * @param brokerCpu CPU time of the benchmark's JVM meanwhile: the broker serving the writers, and
 *     the watcher reading {@code applied_offsets}
 * @param writersPostgresCpu CPU time of PostgreSQL meanwhile
 * @param baselineClientCpu CPU time of the benchmark's JVM during the baseline (JDBC client)
 * @param baselinePostgresCpu CPU time of PostgreSQL during the baseline
 * @param writerMeters the writers' own batch and transaction meters, summed over both
 */
public record WriterDrainResult(
    int events,
    Map<String, Long> rowsPerShard,
    Duration produce,
    Duration writersWall,
    Duration writersDrain,
    Duration baseline,
    Duration baselinePrimaryKeyOnly,
    Duration writersCpu,
    Duration brokerCpu,
    Duration writersPostgresCpu,
    Duration baselineClientCpu,
    Duration baselinePostgresCpu,
    WriterMeters writerMeters) {

  /**
   * Returns the writers' drain rate.
   *
   * @return rows per second from the first commit to the last
   */
  public double writersDrainRowsPerSecond() {
    return rate(writersDrain);
  }

  /**
   * Returns the writers' rate including their start-up.
   *
   * @return rows per second from launching the JVMs to the last commit
   */
  public double writersWallRowsPerSecond() {
    return rate(writersWall);
  }

  /**
   * Returns the JDBC baseline's rate.
   *
   * @return rows per second
   */
  public double baselineRowsPerSecond() {
    return rate(baseline);
  }

  /**
   * Returns the primary-key-only baseline's rate.
   *
   * @return rows per second
   */
  public double baselinePrimaryKeyOnlyRowsPerSecond() {
    return rate(baselinePrimaryKeyOnly);
  }

  /**
   * Returns how much faster the writers drain than the baseline upserts.
   *
   * @return writers' drain rate divided by the baseline's rate
   */
  public double ratio() {
    return writersDrainRowsPerSecond() / baselineRowsPerSecond();
  }

  private double rate(Duration duration) {
    return events * 1e9 / duration.toNanos();
  }

  /**
   * Returns the result as the lines the command prints.
   *
   * @return a short report
   */
  public String report() {
    return String.format(
        "writer drain of %,d tweet events (rows per shard %s)%n"
            + "  pre-filling the topic          %6.1f s%n"
            + "  writers, first to last commit  %6.1f s  %,10.0f rows/s%n"
            + "  writers, JVM launch to last    %6.1f s  %,10.0f rows/s%n"
            + "  JDBC batch upsert baseline     %6.1f s  %,10.0f rows/s%n"
            + "  the same, primary key only     %6.1f s  %,10.0f rows/s%n"
            + "  ratio writers/baseline         %6.2f%n"
            + "writers: %,d partition transactions, %,.0f records each on average, %.1f ms each%n"
            + "CPU seconds (user+system)%n"
            + "  writers: writer JVMs %.1f, broker JVM %.1f, PostgreSQL %.1f%n"
            + "  baseline: JDBC client %.1f, PostgreSQL %.1f%n",
        events,
        rowsPerShard,
        seconds(produce),
        seconds(writersDrain),
        writersDrainRowsPerSecond(),
        seconds(writersWall),
        writersWallRowsPerSecond(),
        seconds(baseline),
        baselineRowsPerSecond(),
        seconds(baselinePrimaryKeyOnly),
        baselinePrimaryKeyOnlyRowsPerSecond(),
        ratio(),
        writerMeters.transactions(),
        writerMeters.meanBatchSize(),
        writerMeters.meanTransactionMillis(),
        seconds(writersCpu),
        seconds(brokerCpu),
        seconds(writersPostgresCpu),
        seconds(baselineClientCpu),
        seconds(baselinePostgresCpu));
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
