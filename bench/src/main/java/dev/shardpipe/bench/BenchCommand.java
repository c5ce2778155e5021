package dev.shardpipe.bench;

import dev.shardpipe.bench.drain.WriterDrainBenchmark;
import dev.shardpipe.bench.drain.WriterDrainOptions;
import dev.shardpipe.bench.drain.WriterDrainResult;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    subcommands = {BenchCommand.WriterDrain.class},
    description = "Benchmarks of the pipeline on this machine, everything on 127.0.0.1.")
public final class BenchCommand {

  private BenchCommand() {}

  /**
   * Runs a benchmark.
   *
   * @param args the benchmark's name and options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  /** {@code writer-drain}: see {@link WriterDrainBenchmark}. */
  @Command(
      name = "writer-drain",
      mixinStandardHelpOptions = true,
      description = {
        "Pre-fills the events topic with fake tweets spread over both shards, starts one writer"
            + " per shard from shard-writer/target/shard-writer.jar, and measures rows/s until"
            + " their applied_offsets cover every record; then a plain JDBC batch upsert of the"
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
      WriterDrainOptions options =
          new WriterDrainOptions(
              home != null ? home : findHome(),
              dataDir != null
                  ? dataDir.toAbsolutePath()
                  : Path.of(System.getProperty("java.io.tmpdir"), "shardpipe-bench-writer-drain"),
              events,
              seed,
              baselineBatchSize,
              settings,
              writerJvmOptions.isEmpty()
                  ? WriterDrainOptions.DEFAULT_WRITER_JVM_OPTIONS
                  : writerJvmOptions,
              writerArguments,
              timeout);
      WriterDrainResult result = new WriterDrainBenchmark(options).run();
      System.out.print(result.report());
      return 0;
    }

    /** The jar runs from {@code <root>/bench/target/bench.jar}. */
    private static Path findHome() throws URISyntaxException {
      Path start =
          Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isDirectory(dir.resolve("shard-writer"))
            && Files.isRegularFile(dir.resolve("pom.xml"))) {
          return dir;
        }
      }
      throw new IllegalStateException(
          "cannot find the repository root above "
              + start
              + "; pass --home <path of the shardpipe checkout>");
    }
  }
}
