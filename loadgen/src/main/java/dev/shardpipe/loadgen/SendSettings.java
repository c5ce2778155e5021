package dev.shardpipe.loadgen;

import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.loadgen.SendOptions.SinkKind;
import dev.shardpipe.loadgen.SendOptions.VerifyMode;
import dev.shardpipe.loadgen.sink.PartitionChoice;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated options of an ingest command; see {@link SendOptions} for each one's meaning and
 * default. The constructor checks every value and throws {@link IllegalArgumentException} naming
 * the option and the bad value.
 */
record SendSettings(
    SinkKind sink,
    URI ingestUrl,
    String bootstrapServers,
    String partition,
    int batchSize,
    int concurrency,
    double rate,
    Duration warmup,
    @Nullable Duration duration,
    int retries,
    URI queryUrl,
    VerifyMode verify,
    Duration visibleTimeout,
    boolean freshness,
    Duration freshnessPoll,
    boolean readYourWrites,
    CatalogOptions.CatalogSettings catalog,
    String topic,
    @Nullable Path summaryJson,
    boolean progress,
    @Nullable String token) {

  /** ingest-api's batch limit (docs/contract.md §6). */
  static final int MAX_BATCH_SIZE = 10_000;

  SendSettings {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "--batch-size must be 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1, was " + concurrency);
    }
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be >= 0 events/s, was " + rate);
    }
    if (retries < 0) {
      throw new IllegalArgumentException("--retries must be >= 0, was " + retries);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
    }
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw new IllegalArgumentException("--duration must be positive, was " + duration);
    }
    if (freshnessPoll.isNegative() || freshnessPoll.isZero()) {
      throw new IllegalArgumentException("--freshness-poll must be positive, was " + freshnessPoll);
    }
    if (visibleTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "--visible-timeout must not be negative, was " + visibleTimeout);
    }
    requireHttp("--ingest-url", ingestUrl);
    requireHttp("--query-url", queryUrl);
    PartitionChoice choice = partitionChoice(partition);
    if (readYourWrites && sink != SinkKind.HTTP) {
      throw new IllegalArgumentException(
          "--read-your-writes needs the read tokens of ingest-api's answers: --sink http");
    }
    if (verify == VerifyMode.OFFSETS && !freshness) {
      throw new IllegalArgumentException(
          "--verify offsets watches the shards' applied offsets, which --no-freshness turns off");
    }
    if (verify == VerifyMode.OFFSETS
        && sink == SinkKind.KAFKA
        && choice.mode() != PartitionChoice.Mode.ROUTED) {
      throw new IllegalArgumentException(
          "--verify offsets needs --partition routed: the writers forward events written to other"
              + " partitions to new offsets; use --verify ids, was --partition "
              + choice);
    }
  }

  private static void requireHttp(String option, URI uri) {
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          option + " must be an http:// address with a host, was " + uri);
    }
  }

  private static PartitionChoice partitionChoice(String text) {
    return PartitionChoice.parse(text);
  }

  PartitionChoice partitionChoice() {
    return partitionChoice(partition);
  }

  Routing routing() {
    return catalog.topology().routing();
  }

  String tweetLocations() {
    return catalog.topology().tweetLocations();
  }
}
