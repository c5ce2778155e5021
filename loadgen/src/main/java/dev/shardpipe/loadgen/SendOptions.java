package dev.shardpipe.loadgen;

import dev.shardpipe.core.config.PipelineConfiguration;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every ingest command shares (picocli mixin): the sink, the pace, what to observe and
 * how to report; the topology comes with {@link CatalogOptions}. Each default is a constant
 * documented once here and in docs/loadgen.md; {@link #settings()} validates them with messages
 * that name the option.
 */
final class SendOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  /** Default ingest-api address: {@value}. */
  static final String DEFAULT_INGEST_URL = "http://127.0.0.1:8080";

  /** Default query-service address: {@value}. */
  static final String DEFAULT_QUERY_URL = "http://127.0.0.1:8081";

  /** Default Kafka address of the Kafka sink: {@value}. */
  static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

  /** Default events per request: {@value}; 1 posts single events, more the batch endpoint. */
  static final int DEFAULT_BATCH_SIZE = 500;

  /** Default requests in flight: {@value}. */
  static final int DEFAULT_CONCURRENCY = 8;

  /** Default retries of a {@code 503} or refused connection: {@value}. */
  static final int DEFAULT_RETRIES = 3;

  /** Default time between freshness polls of the shards' applied offsets: {@value}. */
  static final String DEFAULT_FRESHNESS_POLL = "PT0.01S";

  /** Default longest wait for events to become visible: {@value}. */
  static final String DEFAULT_VISIBLE_TIMEOUT = "PT5M";

  @Option(
      names = "--sink",
      defaultValue = "http",
      description =
          "http (ingest-api) or kafka (the events topic directly). Default: ${DEFAULT-VALUE}.")
  private SinkKind sink;

  @Option(
      names = "--ingest-url",
      defaultValue = DEFAULT_INGEST_URL,
      description = "ingest-api's address. Default: ${DEFAULT-VALUE}.")
  private URI ingestUrl;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = DEFAULT_BOOTSTRAP_SERVERS,
      description = "Kafka's address, for --sink kafka. Default: ${DEFAULT-VALUE}.")
  private String bootstrapServers;

  @Option(
      names = "--partition",
      defaultValue = "routed",
      description =
          "For --sink kafka: routed (ShardKeyPartitioner), random, or a partition number; the"
              + " writers forward events written elsewhere. Default: ${DEFAULT-VALUE}.")
  private String partition;

  @Option(
      names = "--batch-size",
      defaultValue = "" + DEFAULT_BATCH_SIZE,
      description =
          "Events per HTTP request: 1 posts to /tweets or /files, more to the batch endpoint (at"
              + " most 10000). Records per request with --sink kafka. Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  @Option(
      names = "--concurrency",
      defaultValue = "" + DEFAULT_CONCURRENCY,
      description = "Requests in flight at most. Default: ${DEFAULT-VALUE}.")
  private int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "A fixed rate in events/s, open-loop (latency counts from when each request was due);"
              + " 0 sends as fast as --concurrency allows. Default: ${DEFAULT-VALUE}.")
  private double rate;

  @Option(
      names = "--warmup",
      defaultValue = "PT0S",
      description = "Sent first but not measured, ISO-8601 (PT15S). Default: ${DEFAULT-VALUE}.")
  private Duration warmup;

  @Option(
      names = "--duration",
      description = "Stop sending this long after the warm-up, ISO-8601 (PT60S). Default: none.")
  private @Nullable Duration duration;

  @Option(
      names = "--retries",
      defaultValue = "" + DEFAULT_RETRIES,
      description =
          "Retries of a request answered 503 or refused, after its Retry-After; safe because every"
              + " event carries its id. Default: ${DEFAULT-VALUE}.")
  private int retries;

  @Option(
      names = "--query-url",
      defaultValue = DEFAULT_QUERY_URL,
      description = "query-service's address, for --verify and /stats. Default: ${DEFAULT-VALUE}.")
  private URI queryUrl;

  @Option(
      names = "--verify",
      defaultValue = "ids",
      description =
          "ids: read every event back through query-service by id; offsets: only wait until the"
              + " shards' applied offsets pass every event; none. Default: ${DEFAULT-VALUE}.")
  private VerifyMode verify;

  @Option(
      names = "--visible-timeout",
      defaultValue = DEFAULT_VISIBLE_TIMEOUT,
      description =
          "The longest to wait for the events to become visible. Default: ${DEFAULT-VALUE}.")
  private Duration visibleTimeout;

  @Option(
      names = "--no-freshness",
      description = "Do not poll the shards' applied offsets for end-to-end freshness.")
  private boolean noFreshness;

  @Option(
      names = "--freshness-poll",
      defaultValue = DEFAULT_FRESHNESS_POLL,
      description = "Time between polls of the applied offsets. Default: ${DEFAULT-VALUE}.")
  private Duration freshnessPoll;

  @Option(
      names = "--read-your-writes",
      description =
          "After each 202, read the request's last event back from query-service with its read"
              + " token (read_after) and report the time from the 202 to the row.")
  private boolean readYourWrites;

  @Mixin private CatalogOptions catalog;

  @Mixin private TokenOption token;

  @Option(
      names = "--topic",
      defaultValue = PipelineConfiguration.DEFAULT_TOPIC,
      description = "The events topic. Default: ${DEFAULT-VALUE}.")
  private String topic;

  @Option(names = "--summary-json", description = "Also write the summary as JSON to this file.")
  private @Nullable Path summaryJson;

  @Option(names = "--no-progress", description = "No progress bar.")
  private boolean noProgress;

  /** Where events go. */
  enum SinkKind {
    HTTP,
    KAFKA
  }

  /** How far the command checks that the events arrived. */
  enum VerifyMode {
    IDS,
    OFFSETS,
    NONE
  }

  /**
   * Validates the options.
   *
   * @throws ParameterException naming the option and the bad value, which picocli prints with the
   *     usage and exit status 2 instead of a stack trace
   */
  SendSettings settings() {
    try {
      return new SendSettings(
          sink,
          ingestUrl,
          bootstrapServers,
          partition,
          batchSize,
          concurrency,
          rate,
          warmup,
          duration,
          retries,
          queryUrl,
          verify,
          visibleTimeout,
          !noFreshness,
          freshnessPoll,
          readYourWrites,
          catalog.settings(),
          topic,
          summaryJson,
          !noProgress,
          token.token());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
  }
}
