package dev.shardpipe.bench.suite;

import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How to run the benchmark suite. The defaults are the figures docs/benchmarks.md reports.
 *
 * @param home the repository root with every module built
 * @param dataDir where the servers, the devstack and the logs live; emptied first
 * @param docs the file the suite writes its table into, or null to only print it
 * @param measure how long each ingest and read figure is measured
 * @param warmup sent first and not measured, before each ingest figure
 * @param readWarmup the same before each read figure
 * @param drainEvents events of the writer-drain figure
 * @param readRows tweets, and also files, loaded for the read figures
 * @param readKeys owners and users of those rows
 * @param singleRate requests/s of the single-event figure
 * @param freshnessRate events/s of the freshness figure
 * @param routedRate requests/s of the routed-read figure
 * @param mergedRate requests/s of the merged-read figure
 * @param referenceRecords records Kafka's ProducerPerformance sends for the batch figure's
 *     reference
 * @param basePort the first of the {@value #PORTS} consecutive ports the suite's devstack listens
 *     on (Kafka, its controller, PostgreSQL, ingest-api, query-service, then one per writer, the
 *     move figures' new shard's included)
 * @param seed seed of every fake row and event
 * @param moveRows tweets the moved partition holds
 * @param moveRate events/s loadgen sends while the partition moves, and in the run without a move
 * @param moveMeasure measured time of each of those two runs
 * @param figures which figures run; a run of only some prints its table and writes no docs
 */
public record SuiteOptions(
    Path home,
    Path dataDir,
    @Nullable Path docs,
    Duration measure,
    Duration warmup,
    Duration readWarmup,
    int drainEvents,
    long readRows,
    long readKeys,
    int singleRate,
    int freshnessRate,
    int routedRate,
    int mergedRate,
    long referenceRecords,
    int basePort,
    long seed,
    long moveRows,
    int moveRate,
    Duration moveMeasure,
    Set<Figure> figures) {

  /** Rows of a page in the read figures, the issue's: {@value}. */
  public static final int FULL_PAGE = 50;

  /** Locations the read figures' tweets are spread over: {@value}. */
  public static final int READ_LOCATIONS = 3;

  /** Ports the suite's devstack takes from {@code basePort} on: {@value}. */
  public static final int PORTS = 8;

  /** Default first port: {@value}, away from the devstack's defaults so both can run. */
  public static final int DEFAULT_BASE_PORT = 19_180;

  /** Default records of the batch figure's ProducerPerformance reference: {@value}. */
  public static final long DEFAULT_REFERENCE_RECORDS = 5_000_000;

  /** Default measured time of each ingest and read figure: {@value}. */
  public static final String DEFAULT_MEASURE = "PT60S";

  /** Default warm-up before each ingest figure: {@value}. */
  public static final String DEFAULT_WARMUP = "PT15S";

  /** Default warm-up before each read figure: {@value}. */
  public static final String DEFAULT_READ_WARMUP = "PT20S";

  /** Default rows of each table for the read figures: {@value}. */
  public static final long DEFAULT_READ_ROWS = 1_000_000;

  /** Default owners and users of those rows: {@value}, so a routed read finds 50 rows. */
  public static final long DEFAULT_READ_KEYS = 5_000;

  /** Default single-event rate, the target: {@value} requests/s. */
  public static final int DEFAULT_SINGLE_RATE = 5_000;

  /** Default freshness rate: {@value} events/s. */
  public static final int DEFAULT_FRESHNESS_RATE = 20_000;

  /** Default routed-read rate: {@value} requests/s. */
  public static final int DEFAULT_ROUTED_RATE = 500;

  /** Default merged-read rate: {@value} requests/s. */
  public static final int DEFAULT_MERGED_RATE = 200;

  /** Default rows of the moved partition, the issue's: {@value}. */
  public static final long DEFAULT_MOVE_ROWS = 1_000_000;

  /** Default rate during the move, the issue's: {@value} events/s. */
  public static final int DEFAULT_MOVE_RATE = 5_000;

  /**
   * Default measured time of the move figures' runs: {@value}, long enough for the copy of a
   * million rows, the cutover and the reader grace to fall inside it on two cores.
   */
  public static final String DEFAULT_MOVE_MEASURE = "PT90S";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the option at fault
   */
  public SuiteOptions {
    if (measure.isNegative() || measure.isZero()) {
      throw new IllegalArgumentException("--measure must be positive, was " + measure);
    }
    if (warmup.isNegative() || readWarmup.isNegative()) {
      throw new IllegalArgumentException("warm-ups must not be negative");
    }
    if (drainEvents < 1 || readRows < 1 || readKeys < 1) {
      throw new IllegalArgumentException(
          "--drain-events, --read-rows and --read-keys must be >= 1");
    }
    if (readRows < (long) FULL_PAGE * READ_LOCATIONS * readKeys) {
      throw new IllegalArgumentException(
          "--read-rows must be at least "
              + FULL_PAGE * READ_LOCATIONS
              + " x --read-keys ("
              + (long) FULL_PAGE * READ_LOCATIONS * readKeys
              + ") so that every routed read finds a full page of "
              + FULL_PAGE
              + ", was "
              + readRows);
    }
    if (referenceRecords < 1) {
      throw new IllegalArgumentException(
          "--reference-records must be >= 1, was " + referenceRecords);
    }
    if (basePort < 1024 || basePort > 65_535 - PORTS) {
      throw new IllegalArgumentException(
          "--base-port must be between 1024 and " + (65_535 - PORTS) + ", was " + basePort);
    }
    if (singleRate < 1 || freshnessRate < 1 || routedRate < 1 || mergedRate < 1 || moveRate < 1) {
      throw new IllegalArgumentException("every rate must be >= 1");
    }
    if (moveRows < 1) {
      throw new IllegalArgumentException("--move-rows must be >= 1, was " + moveRows);
    }
    if (moveMeasure.isNegative() || moveMeasure.isZero()) {
      throw new IllegalArgumentException("--move-measure must be positive, was " + moveMeasure);
    }
    if (figures.isEmpty()) {
      throw new IllegalArgumentException("--only must name at least one figure");
    }
    figures = Set.copyOf(figures);
  }

  /**
   * Tells whether a figure runs.
   *
   * @param figure the figure
   * @return true when it was asked for
   */
  public boolean runs(Figure figure) {
    return figures.contains(figure);
  }
}
