package dev.shardpipe.bench;

import dev.shardpipe.bench.drain.TweetIds;
import dev.shardpipe.bench.drain.WriterDrainBenchmark;
import dev.shardpipe.bench.drain.WriterDrainOptions;
import dev.shardpipe.bench.drain.WriterDrainResult;
import dev.shardpipe.bench.suite.BenchSuite;
import dev.shardpipe.bench.suite.Figure;
import dev.shardpipe.bench.suite.SuiteOptions;
import dev.shardpipe.devstack.Devstack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar bench/target/bench.jar <benchmark>}: the project's benchmark commands, run by
 * hand on a machine as quiet as can be had; each prints its numbers and the command to rerun it.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {BenchCommand.WriterDrain.class, BenchCommand.Suite.class},
    description = "Benchmarks of the pipeline on this machine, everything on 127.0.0.1.")
public final class BenchCommand {

  private BenchCommand() {}

  /**
   * Runs a benchmark.
   *
   * @param args the benchmark's name and options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(
        new CommandLine(new BenchCommand())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args));
  }

  /** {@code writer-drain}: see {@link WriterDrainBenchmark}. */
  @Command(
      name = "writer-drain",
      mixinStandardHelpOptions = true,
      description = {
        "Pre-fills the events topic with fake tweets spread over both shards, starts one writer"
            + " per shard from shard-writer/target/shard-writer.jar, and measures rows/s until"
            + " their applied offsets cover every record; then a plain JDBC batch upsert of the"
            + " same rows into a table of the same schema on the same server."
      })
  static final class WriterDrain implements Callable<Integer> {

    @Option(
        names = "--events",
        defaultValue = "" + WriterDrainOptions.DEFAULT_EVENTS,
        description = "Tweet events to pre-fill (default: ${DEFAULT-VALUE}).")
    private int events;

    @Option(
        names = "--seed",
        defaultValue = "4",
        description = "Seed of the fake events (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
        names = "--ids",
        split = ",",
        defaultValue = "v4,v7",
        description =
            "Id kinds to run, one full run each, in this order: v4 (random), v7 (time-ordered)"
                + " (default: ${DEFAULT-VALUE}).")
    private List<TweetIds> ids;

    @Option(
        names = "--data-dir",
        description =
            "Where the servers and logs live; emptied first (default: a directory in"
                + " the system's temporary directory).")
    private Path dataDir;

    @Option(
        names = "--home",
        description = "The repository root with the built writer (default: found from this jar).")
    private Path home;

    @Option(
        names = "--baseline-batch-size",
        defaultValue = "" + WriterDrainOptions.DEFAULT_BASELINE_BATCH_SIZE,
        description = "Rows per JDBC batch of the baseline (default: ${DEFAULT-VALUE}).")
    private int baselineBatchSize;

    @Option(
        names = "--postgres-setting",
        description =
            "A PostgreSQL setting as name=value, repeatable; replaces the default of that name"
                + " (defaults: shared_buffers=1GB, max_wal_size=4GB, synchronous_commit=on).")
    private Map<String, String> postgresSettings = new HashMap<>();

    @Option(
        names = "--writer-arg",
        description =
            "A writer setting passed to both writers, repeatable, such as"
                + " --writer-arg=--kafka.consumers.shard-writer.max.poll.records=20000.")
    private List<String> writerArguments = new ArrayList<>();

    @Option(
        names = "--writer-jvm-option",
        description =
            "A JVM option of both writers, repeatable; given at all, these replace the defaults"
                + " (-Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError, the devstack's).")
    private List<String> writerJvmOptions = new ArrayList<>();

    @Option(
        names = "--timeout",
        defaultValue = "PT10M",
        description = "The longest the writers may take (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() throws Exception {
      Map<String, String> settings = new HashMap<>(WriterDrainOptions.DEFAULT_POSTGRES_SETTINGS);
      settings.putAll(postgresSettings);
      List<WriterDrainResult> results = new ArrayList<>();
      for (TweetIds kind : ids) {
        WriterDrainOptions options =
            new WriterDrainOptions(
                home != null ? home : Devstack.findHome(),
                dataDir != null
                    ? dataDir.toAbsolutePath()
                    : Path.of(System.getProperty("java.io.tmpdir"), "shardpipe-bench-writer-drain"),
                events,
                seed,
                kind,
                baselineBatchSize,
                settings,
                writerJvmOptions.isEmpty()
                    ? WriterDrainOptions.DEFAULT_WRITER_JVM_OPTIONS
                    : writerJvmOptions,
                writerArguments,
                timeout);
        WriterDrainResult result = new WriterDrainBenchmark(options).run();
        System.out.print(result.report());
        results.add(result);
      }
      System.out.print(WriterDrainResult.table(results));
      return 0;
    }
  }

  /** {@code suite}: see {@link BenchSuite}. */
  @Command(
      name = "suite",
      mixinStandardHelpOptions = true,
      description = {
        "Every figure of the pipeline next to its reference, measured in one session: writer"
            + " drain against a JDBC batch upsert; single and batch HTTP ingest against Kafka's"
            + " ProducerPerformance; end-to-end freshness against Kafka's EndToEndLatency; routed"
            + " and merged reads against the same SQL on the shards; a partition of a million rows"
            + " moved to a new shard under load against a plain COPY and a run without a move; a"
            + " million events through killed writers, databases, ingest-api and broker, counted"
            + " exactly once. Prints a Markdown table and writes it into docs/benchmarks.md. About"
            + " 27 minutes with the defaults."
      })
  static final class Suite implements Callable<Integer> {

    @Option(
        names = "--data-dir",
        description =
            "Where the servers, logs and JSON summaries live (default: a directory in the system's"
                + " temporary directory).")
    private Path dataDir;

    @Option(
        names = "--home",
        description = "The repository root with every module built (default: found from this jar).")
    private Path home;

    @Option(
        names = "--docs",
        description = "The file to write the table into (default: <home>/docs/benchmarks.md).")
    private Path docs;

    @Option(names = "--no-docs", description = "Only print the table.")
    private boolean noDocs;

    @Option(
        names = "--measure",
        defaultValue = SuiteOptions.DEFAULT_MEASURE,
        description = "Measured time of each ingest and read figure (default: ${DEFAULT-VALUE}).")
    private Duration measure;

    @Option(
        names = "--warmup",
        defaultValue = SuiteOptions.DEFAULT_WARMUP,
        description = "Unmeasured warm-up before each ingest figure (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(
        names = "--read-warmup",
        defaultValue = SuiteOptions.DEFAULT_READ_WARMUP,
        description = "Unmeasured warm-up before each read figure (default: ${DEFAULT-VALUE}).")
    private Duration readWarmup;

    @Option(
        names = "--drain-events",
        defaultValue = "" + WriterDrainOptions.DEFAULT_EVENTS,
        description = "Events of the writer-drain figure (default: ${DEFAULT-VALUE}).")
    private int drainEvents;

    @Option(
        names = "--read-rows",
        defaultValue = "" + SuiteOptions.DEFAULT_READ_ROWS,
        description = "Tweets, and files, loaded for the read figures (default: ${DEFAULT-VALUE}).")
    private long readRows;

    @Option(
        names = "--read-keys",
        defaultValue = "" + SuiteOptions.DEFAULT_READ_KEYS,
        description = "Owners and users of those rows (default: ${DEFAULT-VALUE}).")
    private long readKeys;

    @Option(
        names = "--single-rate",
        defaultValue = "" + SuiteOptions.DEFAULT_SINGLE_RATE,
        description = "Requests/s of the single-event figure (default: ${DEFAULT-VALUE}).")
    private int singleRate;

    @Option(
        names = "--freshness-rate",
        defaultValue = "" + SuiteOptions.DEFAULT_FRESHNESS_RATE,
        description = "Events/s of the freshness figure (default: ${DEFAULT-VALUE}).")
    private int freshnessRate;

    @Option(
        names = "--routed-rate",
        defaultValue = "" + SuiteOptions.DEFAULT_ROUTED_RATE,
        description = "Requests/s of the routed-read figure (default: ${DEFAULT-VALUE}).")
    private int routedRate;

    @Option(
        names = "--merged-rate",
        defaultValue = "" + SuiteOptions.DEFAULT_MERGED_RATE,
        description = "Requests/s of the merged-read figure (default: ${DEFAULT-VALUE}).")
    private int mergedRate;

    @Option(
        names = "--reference-records",
        defaultValue = "" + SuiteOptions.DEFAULT_REFERENCE_RECORDS,
        description =
            "Records of the batch figure's ProducerPerformance reference (default:"
                + " ${DEFAULT-VALUE}).")
    private long referenceRecords;

    @Option(
        names = "--base-port",
        defaultValue = "" + SuiteOptions.DEFAULT_BASE_PORT,
        description =
            "First of the consecutive ports of the suite's devstack (default: ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(
        names = "--seed",
        defaultValue = "4",
        description = "Seed of every fake row and event (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
        names = "--move-rows",
        defaultValue = "" + SuiteOptions.DEFAULT_MOVE_ROWS,
        description = "Tweets of the moved partition (default: ${DEFAULT-VALUE}).")
    private long moveRows;

    @Option(
        names = "--move-rate",
        defaultValue = "" + SuiteOptions.DEFAULT_MOVE_RATE,
        description = "Events/s sent during the move figures (default: ${DEFAULT-VALUE}).")
    private int moveRate;

    @Option(
        names = "--move-measure",
        defaultValue = SuiteOptions.DEFAULT_MOVE_MEASURE,
        description =
            "Measured time of the run with the move and of the one without (default:"
                + " ${DEFAULT-VALUE}).")
    private Duration moveMeasure;

    @Option(
        names = "--only",
        split = ",",
        description =
            "Run only these figures, such as --only move: ${COMPLETION-CANDIDATES}. The table is"
                + " printed, not written into the docs (default: every figure).")
    private Set<Figure> only = EnumSet.allOf(Figure.class);

    @Override
    public Integer call() throws Exception {
      Path root = home != null ? home : Devstack.findHome();
      SuiteOptions options =
          new SuiteOptions(
              root,
              dataDir != null
                  ? dataDir.toAbsolutePath()
                  : Path.of(System.getProperty("java.io.tmpdir"), "shardpipe-bench-suite"),
              noDocs ? null : docs != null ? docs : root.resolve("docs").resolve("benchmarks.md"),
              measure,
              warmup,
              readWarmup,
              drainEvents,
              readRows,
              readKeys,
              singleRate,
              freshnessRate,
              routedRate,
              mergedRate,
              referenceRecords,
              basePort,
              seed,
              moveRows,
              moveRate,
              moveMeasure,
              only);
      new BenchSuite(options).run();
      return 0;
    }
  }
}
