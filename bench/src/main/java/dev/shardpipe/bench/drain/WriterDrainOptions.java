package dev.shardpipe.bench.drain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the writer-drain benchmark.
 *
 * @param home the repository root, where {@code shard-writer/target/shard-writer.jar} is
 * @param dataDir where the broker, PostgreSQL and the writers' logs live; emptied first
 * @param events how many tweet events to pre-fill the topic with, spread over both shards
 * @param seed the seed of the fake events, so that a rerun writes the same rows
 * @param ids random (v4) or time-ordered (v7) ids
 * @param baselineBatchSize rows per {@code executeBatch} of the JDBC baseline
 * @param postgresSettings PostgreSQL server settings shared by the writers and the baseline
 * @param writerJvmOptions JVM options of each writer
 * @param writerArguments extra writer settings, such as {@code
 *     --kafka.consumers.shard-writer.max.poll.records=20000}
 * @param timeout the longest the writers may take to drain the topic
 */
public record WriterDrainOptions(
    Path home,
    Path dataDir,
    int events,
    long seed,
    TweetIds ids,
    int baselineBatchSize,
    Map<String, String> postgresSettings,
    List<String> writerJvmOptions,
    List<String> writerArguments,
    Duration timeout) {

  /** Default event count: {@value}. */
  public static final int DEFAULT_EVENTS = 1_000_000;

  /** Default rows per JDBC batch of the baseline: {@value}. */
  public static final int DEFAULT_BASELINE_BATCH_SIZE = 2_000;

  /**
   * Default PostgreSQL settings: buffers that hold the shards' working set, and WAL room so that no
   * checkpoint is forced in the middle of a run; commits stay synchronous as in the devstack.
   */
  public static final Map<String, String> DEFAULT_POSTGRES_SETTINGS =
      Map.of("shared_buffers", "1GB", "max_wal_size", "4GB", "synchronous_commit", "on");

  /** Default JVM options of a writer, the devstack's. */
  public static final List<String> DEFAULT_WRITER_JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  /**
   * Checks the numbers and copies the collections.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public WriterDrainOptions {
    if (events < 1) {
      throw new IllegalArgumentException("events must be at least 1, was " + events);
    }
    if (baselineBatchSize < 1) {
      throw new IllegalArgumentException(
          "baseline batch size must be at least 1, was " + baselineBatchSize);
    }
    Objects.requireNonNull(ids, "ids");
    postgresSettings = Map.copyOf(postgresSettings);
    writerJvmOptions = List.copyOf(writerJvmOptions);
    writerArguments = List.copyOf(writerArguments);
  }
}
