package dev.shardpipe.bench.drain;

import dev.shardpipe.bench.peer.ConnectSinkSettings;
import dev.shardpipe.bench.peer.SinkTimes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one writer-drain run measured.
 *
 * @param events the events in the topic, each one row in the end
 * @param ids random (v4) or time-ordered (v7) ids
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
 * @param copy {@code COPY} of the same rows into the baseline's table, emptied, with its indexes
 * @param copyPostgresCpu CPU time of PostgreSQL during the {@code COPY}
 * @param writerMeters the writers' own batch and transaction meters, summed over both
 * @param drainLoad the machine's load average over the writers' drain
 * @param baselineLoad the same over the JDBC baseline
 * @param copyLoad the same over the {@code COPY}
 * @param peerProduce how long filling the peer's topic with the same rows as Connect JSON took (not
 *     part of any rate)
 * @param peer Kafka Connect standalone with the Debezium JDBC sink upserting the same rows into a
 *     table of the same schema and indexes: its times from launch and from its first row, and its
 *     JVM's CPU
 * @param peerPostgresCpu CPU time of PostgreSQL from the peer's launch to its last row
 * @param peerLoad the machine's load average over the peer's run
 */
public record WriterDrainResult(
    int events,
    TweetIds ids,
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
    Duration copy,
    Duration copyPostgresCpu,
    WriterMeters writerMeters,
    LoadAverage drainLoad,
    LoadAverage baselineLoad,
    LoadAverage copyLoad,
    Duration peerProduce,
    SinkTimes peer,
    Duration peerPostgresCpu,
    LoadAverage peerLoad) {

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
   * Returns the {@code COPY}'s rate.
   *
   * @return rows per second
   */
  public double copyRowsPerSecond() {
    return rate(copy);
  }

  /**
   * Returns the peer's rate including its start-up.
   *
   * @return rows per second from launching Connect's JVM to the last row in the table
   */
  public double peerFromLaunchRowsPerSecond() {
    return rate(peer.fromLaunch());
  }

  /**
   * Returns the peer's steady rate.
   *
   * @return rows per second from the first row in the table to the last
   */
  public double peerSteadyRowsPerSecond() {
    return rate(peer.fromFirstRow());
  }

  /**
   * Returns PostgreSQL's CPU time per million rows written by the peer, from its launch to its last
   * row.
   *
   * @return CPU seconds per 1 000 000 rows
   */
  public double peerPostgresCpuPerMillion() {
    return perMillion(peerPostgresCpu);
  }

  /**
   * Returns how much faster the writers are than the peer, each from its first commit or row.
   *
   * @return the writers' drain rate divided by the peer's steady rate
   */
  public double peerRatio() {
    return writersDrainRowsPerSecond() / peerSteadyRowsPerSecond();
  }

  /**
   * Returns the same from launch: JVM start-up, plugin loading and group join included.
   *
   * @return the writers' rate from launch divided by the peer's
   */
  public double peerRatioFromLaunch() {
    return writersWallRowsPerSecond() / peerFromLaunchRowsPerSecond();
  }

  /**
   * Returns PostgreSQL's CPU time per million rows written by the writers, from their launch to
   * their last commit (migrations and the first polls included; a few tenths of a second).
   *
   * @return CPU seconds (user + system of every server process) per 1 000 000 rows
   */
  public double writersPostgresCpuPerMillion() {
    return perMillion(writersPostgresCpu);
  }

  /**
   * Returns PostgreSQL's CPU time per million rows of the JDBC baseline.
   *
   * @return CPU seconds per 1 000 000 rows
   */
  public double baselinePostgresCpuPerMillion() {
    return perMillion(baselinePostgresCpu);
  }

  /**
   * Returns PostgreSQL's CPU time per million rows of the {@code COPY}.
   *
   * @return CPU seconds per 1 000 000 rows
   */
  public double copyPostgresCpuPerMillion() {
    return perMillion(copyPostgresCpu);
  }

  private double perMillion(Duration cpu) {
    return cpu.toNanos() / 1e9 * 1e6 / events;
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
        "writer drain of %,d tweet events with %s ids (rows per shard %s), every JVM on Java %s%n"
            + "  pre-filling the topic          %6.1f s%n"
            + "  writers, first to last commit  %6.1f s  %,10.0f rows/s  load %s%n"
            + "  writers, JVM launch to last    %6.1f s  %,10.0f rows/s%n"
            + "  filling the peer's topic       %6.1f s%n"
            + "  Connect + Debezium, first row  %6.1f s  %,10.0f rows/s  load %s%n"
            + "  Connect + Debezium, launch     %6.1f s  %,10.0f rows/s%n"
            + "  JDBC batch upsert baseline     %6.1f s  %,10.0f rows/s  load %s%n"
            + "  COPY into the same table       %6.1f s  %,10.0f rows/s  load %s%n"
            + "  upsert, primary key only       %6.1f s  %,10.0f rows/s%n"
            + "  ratio writers/baseline         %6.2f%n"
            + "  ratio writers/Connect          %6.2f  (from launch %.2f)%n"
            + "PostgreSQL CPU seconds per 1,000,000 rows: writers %.1f, Connect + Debezium %.1f,"
            + " JDBC upsert %.1f, COPY %.1f%n"
            + "writers: %,d partition transactions, %,.0f records each on average, %.1f ms each%n"
            + "CPU seconds (user+system)%n"
            + "  writers: writer JVMs %.1f, broker JVM %.1f, PostgreSQL %.1f%n"
            + "  Connect + Debezium: Connect JVM %.1f, PostgreSQL %.1f%n"
            + "  baseline: JDBC client %.1f, PostgreSQL %.1f%n",
        events,
        ids,
        rowsPerShard,
        Runtime.version(),
        seconds(produce),
        seconds(writersDrain),
        writersDrainRowsPerSecond(),
        drainLoad,
        seconds(writersWall),
        writersWallRowsPerSecond(),
        seconds(peerProduce),
        seconds(peer.fromFirstRow()),
        peerSteadyRowsPerSecond(),
        peerLoad,
        seconds(peer.fromLaunch()),
        peerFromLaunchRowsPerSecond(),
        seconds(baseline),
        baselineRowsPerSecond(),
        baselineLoad,
        seconds(copy),
        copyRowsPerSecond(),
        copyLoad,
        seconds(baselinePrimaryKeyOnly),
        baselinePrimaryKeyOnlyRowsPerSecond(),
        ratio(),
        peerRatio(),
        peerRatioFromLaunch(),
        writersPostgresCpuPerMillion(),
        peerPostgresCpuPerMillion(),
        baselinePostgresCpuPerMillion(),
        copyPostgresCpuPerMillion(),
        writerMeters.transactions(),
        writerMeters.meanBatchSize(),
        writerMeters.meanTransactionMillis(),
        seconds(writersCpu),
        seconds(brokerCpu),
        seconds(writersPostgresCpu),
        seconds(peer.connectCpu()),
        seconds(peerPostgresCpu),
        seconds(baselineClientCpu),
        seconds(baselinePostgresCpu));
  }

  /**
   * Returns runs as the markdown table docs/benchmarks.md shows: per run a row for the writers,
   * Kafka Connect with the Debezium JDBC sink, the JDBC upsert and {@code COPY}, each with rows/s
   * (from launch for the two that start a JVM; steady: from the first commit or row to the last, or
   * the whole run for the two without start-up), the writers' steady rate divided by the row's,
   * PostgreSQL's CPU seconds per million rows and the load average over it.
   *
   * @param runs the runs, such as one with v4 ids and one with v7 ids
   * @return the table, one line per row, the header first
   */
  public static String table(List<WriterDrainResult> runs) {
    StringBuilder out =
        new StringBuilder(
            "| ids | sink | rows/s from launch | rows/s steady | writers ÷ sink"
                + " | PostgreSQL CPU s per 1M rows | load |\n"
                + "|---|---|---:|---:|---:|---:|---|\n");
    for (WriterDrainResult r : runs) {
      String ids = r.ids().name().toLowerCase(Locale.ROOT);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | shardpipe writers | %,.0f | %,.0f | | %.1f | %s |%n"
                  + "| %s | Kafka Connect + Debezium JDBC sink (upsert, batch.size %,d, %d tasks)"
                  + " | %,.0f | %,.0f | %.2f (%.2f from launch) | %.1f | %s |%n"
                  + "| %s | plain JDBC batch upsert, one connection | | %,.0f | %.2f | %.1f | %s |%n"
                  + "| %s | `COPY` (CSV, one transaction) | | %,.0f | %.2f | %.1f | %s |%n",
              ids,
              r.writersWallRowsPerSecond(),
              r.writersDrainRowsPerSecond(),
              r.writersPostgresCpuPerMillion(),
              r.drainLoad(),
              ids,
              ConnectSinkSettings.DEFAULT_BATCH_SIZE,
              ConnectSinkSettings.DEFAULT_TASKS,
              r.peerFromLaunchRowsPerSecond(),
              r.peerSteadyRowsPerSecond(),
              r.peerRatio(),
              r.peerRatioFromLaunch(),
              r.peerPostgresCpuPerMillion(),
              r.peerLoad(),
              ids,
              r.baselineRowsPerSecond(),
              r.ratio(),
              r.baselinePostgresCpuPerMillion(),
              r.baselineLoad(),
              ids,
              r.copyRowsPerSecond(),
              r.writersDrainRowsPerSecond() / r.copyRowsPerSecond(),
              r.copyPostgresCpuPerMillion(),
              r.copyLoad()));
    }
    return out.toString();
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
