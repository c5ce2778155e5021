package dev.shardpipe.loadgen;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.loadgen.SendOptions.SinkKind;
import dev.shardpipe.loadgen.SendOptions.VerifyMode;
import dev.shardpipe.loadgen.drive.DriverResult;
import dev.shardpipe.loadgen.drive.LoadDriver;
import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.drive.Request;
import dev.shardpipe.loadgen.observe.FreshnessTracker;
import dev.shardpipe.loadgen.observe.Machine;
import dev.shardpipe.loadgen.observe.ReadYourWritesProbe;
import dev.shardpipe.loadgen.observe.StatsTotals;
import dev.shardpipe.loadgen.observe.VisibilityCheck;
import dev.shardpipe.loadgen.shards.CatalogView;
import dev.shardpipe.loadgen.shards.ShardOffsets;
import dev.shardpipe.loadgen.shards.ShardPools;
import dev.shardpipe.loadgen.sink.Ack;
import dev.shardpipe.loadgen.sink.HttpSink;
import dev.shardpipe.loadgen.sink.KafkaSink;
import dev.shardpipe.loadgen.sink.Sink;
import dev.shardpipe.loadgen.source.EventSource;
import dev.shardpipe.loadgen.source.SourceCounts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest run: events from a source through a sink, measured, then checked against the source
 * and reported. The exit status is 0 only when every event the source gave was acknowledged and, as
 * {@code --verify} asks, is visible.
 */
final class IngestRun {

  private static final Logger LOG = LoggerFactory.getLogger(IngestRun.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final int VERIFY_CONCURRENCY = 8;

  private final SendSettings settings;
  private final PrintStream out;
  private final Clock clock;

  /** The events acknowledged, kept for {@code --verify ids}. */
  private @Nullable ReadYourWritesProbe probe;

  private final List<VisibilityCheck.Sent> sent = Collections.synchronizedList(new ArrayList<>());

  IngestRun(SendSettings settings, PrintStream out, Clock clock) {
    this.settings = settings;
    this.out = out;
    this.clock = clock;
  }

  int run(EventSource source) throws IOException, InterruptedException {
    String startedAt = clock.instant().toString();
    Machine machineBefore = Machine.now();
    out.println("loadgen: " + source.description());
    StatsTotals before = stats("before");
    AtomicReference<String> firstFailure = new AtomicReference<>();
    DriverResult result;
    Percentiles freshness = null;
    String freshnessNote;
    long notVisible = -1;
    Map<Integer, Percentiles> freshnessByPartition = Map.of();
    ReadYourWritesProbe.Result readYourWrites = null;
    CatalogView catalog = null;
    ShardPools pools = null;
    try (Sink sink = sink()) {
      FreshnessTracker tracker = null;
      if (!settings.freshness()) {
        freshnessNote = "not measured (--no-freshness)";
      } else if (!sink.acksAreRouted()) {
        freshnessNote =
            "not measured: events go to partitions they do not route to, and the writers forward"
                + " them to new offsets, so the acknowledged offsets say nothing about the rows";
      } else {
        try {
          catalog = settings.catalog().open("loadgen");
          pools =
              new ShardPools(
                  settings.catalog().databaseUser(), settings.catalog().databasePassword(), 1);
          tracker =
              FreshnessTracker.start(
                  catalog, ShardOffsets.jdbc(pools, settings.topic()), settings.freshnessPoll());
          freshnessNote =
              "every event; the applied offsets of the shards in the catalog polled every "
                  + settings.freshnessPoll().toMillis()
                  + " ms";
        } catch (SQLException | IllegalStateException e) {
          freshnessNote = "not measured: cannot read the applied offsets (" + e.getMessage() + ")";
          LOG.warn("freshness is not measured: {}", e.getMessage());
        }
      }
      FreshnessTracker watching = tracker;
      if (settings.readYourWrites()) {
        probe =
            new ReadYourWritesProbe(settings.queryUrl(), settings.concurrency(), settings.token());
      }
      try (ProgressBar progress = progress(source)) {
        LoadDriver driver =
            new LoadDriver(
                new LoadDriver.Settings(
                    settings.rate(),
                    settings.batchSize(),
                    settings.concurrency(),
                    settings.warmup(),
                    settings.duration(),
                    DRAIN_TIMEOUT));
        result =
            driver.run(
                () -> next(source, sink),
                (request, acks, error, timing) -> {
                  if (error != null) {
                    firstFailure.compareAndSet(null, String.valueOf(error.getMessage()));
                    return;
                  }
                  if (watching != null) {
                    for (Ack ack : acks) {
                      watching.track(ack, timing.intendedNanos(), timing.measured());
                    }
                  }
                  if (progress != null) {
                    progress.stepBy(request.events());
                  }
                });
      }
      if (probe != null) {
        readYourWrites = probe.finish(settings.visibleTimeout());
      }
      if (watching != null) {
        try (FreshnessTracker t = watching) {
          notVisible = t.awaitAll(settings.visibleTimeout());
          freshness = t.freshness();
          freshnessByPartition = t.freshnessByPartition();
          if (t.pollError() != null) {
            freshnessNote += "; some polls could not read a shard, the last: " + t.pollError();
          }
        }
      }
    } finally {
      source.close();
      if (pools != null) {
        pools.close();
      }
      if (catalog != null) {
        catalog.close();
      }
    }
    VisibilityCheck.Result visibility = null;
    if (settings.verify() == VerifyMode.IDS) {
      visibility =
          new VisibilityCheck(settings.queryUrl(), VERIFY_CONCURRENCY, settings.token())
              .check(List.copyOf(sent), settings.visibleTimeout());
    }
    StatsTotals after = stats("after");
    SourceCounts counts = source.counts();
    boolean ok =
        result.requestsFailed() == 0
            && result.unfinished() == 0
            && result.eventsOk() == counts.events()
            && switch (settings.verify()) {
              case IDS -> visibility != null && visibility.complete();
              case OFFSETS -> notVisible == 0;
              case NONE -> true;
            };
    IngestSummary summary =
        new IngestSummary(
            startedAt,
            source.description(),
            counts,
            settingsDescription(),
            settings.batchSize(),
            result,
            freshness,
            freshnessByPartition,
            freshnessNote,
            readYourWrites,
            notVisible,
            settings.verify().name().toLowerCase(Locale.ROOT),
            visibility,
            before,
            after,
            machineBefore,
            Machine.now(),
            ok);
    new Report(out).print(summary, firstFailure.get());
    if (settings.summaryJson() != null) {
      Files.write(settings.summaryJson(), JsonMapper.createDefault().writeValueAsBytes(summary));
      out.println("  summary       " + settings.summaryJson().toAbsolutePath());
    }
    return ok ? 0 : 1;
  }

  /** The next request: up to {@code batch-size} events of the source, or null at its end. */
  private @Nullable Request<List<Ack>> next(EventSource source, Sink sink) {
    if (!source.hasNext()) {
      return null;
    }
    List<Event> events = new ArrayList<>(settings.batchSize());
    while (events.size() < settings.batchSize() && source.hasNext()) {
      events.add(source.next());
    }
    return new Request<>(
        events.size(),
        () ->
            sink.send(events)
                .thenApply(
                    acks -> {
                      ReadYourWritesProbe reading = probe;
                      String token = acks.get(acks.size() - 1).token();
                      if (reading != null && token != null) {
                        reading.probe(events.get(events.size() - 1), token);
                      }
                      if (settings.verify() == VerifyMode.IDS) {
                        for (int i = 0; i < events.size(); i++) {
                          sent.add(new VisibilityCheck.Sent(events.get(i), acks.get(i).token()));
                        }
                      }
                      return acks;
                    }));
  }

  private Sink sink() {
    if (settings.sink() == SinkKind.KAFKA) {
      return new KafkaSink(
          settings.bootstrapServers(),
          settings.topic(),
          settings.routing(),
          settings.tweetLocations(),
          settings.partitionChoice());
    }
    return new HttpSink(
        settings.ingestUrl(),
        settings.batchSize() > 1,
        settings.retries(),
        settings.concurrency(),
        Duration.ofSeconds(30),
        settings.token());
  }

  private String settingsDescription() {
    String pace =
        settings.rate() > 0
            ? String.format("open-loop at %,.0f events/s", settings.rate())
            : "as fast as allowed";
    return (settings.sink() == SinkKind.KAFKA
            ? "kafka " + settings.bootstrapServers() + " partition " + settings.partitionChoice()
            : "http " + settings.ingestUrl())
        + ", "
        + settings.batchSize()
        + " events per request, "
        + settings.concurrency()
        + " in flight, "
        + pace;
  }

  private @Nullable StatsTotals stats(String when) throws InterruptedException {
    if (settings.verify() == VerifyMode.NONE) {
      return null;
    }
    try {
      return StatsTotals.read(settings.queryUrl(), settings.token());
    } catch (IOException e) {
      LOG.warn("query-service /stats {} the run: {}", when, e.getMessage());
      return null;
    }
  }

  private @Nullable ProgressBar progress(EventSource source) {
    if (!settings.progress() || System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("sending")
        .setInitialMax(source.expectedEvents().orElse(-1))
        .setUnit(" events", 1)
        .showSpeed()
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }
}
