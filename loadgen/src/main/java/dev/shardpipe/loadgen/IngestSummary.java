package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.drive.DriverResult;
import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.observe.Machine;
import dev.shardpipe.loadgen.observe.ReadYourWritesProbe;
import dev.shardpipe.loadgen.observe.StatsTotals;
import dev.shardpipe.loadgen.observe.VisibilityCheck;
import dev.shardpipe.loadgen.source.SourceCounts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * The machine-readable summary of an ingest run ({@code --summary-json}).
 *
 * @param startedAt when the run started, RFC 3339
 * @param source what the events came from
 * @param sourceCounts items read, events made, items skipped per reason
 * @param sink where they went
 * @param eventsPerRequest events per request
 * @param run requests, events, rates and latency (milliseconds, from when each request was due)
 * @param freshness milliseconds from when each measured event was due until its row was visible
 *     (its shard's applied offset passed it), or null when not measured
 * @param freshnessByPartition the same for each partition, by partition; empty when not measured
 * @param freshnessNote why freshness was not measured, or how it was
 * @param readYourWrites the time from each probed {@code 202} to reading that event back with its
 *     read token ({@code --read-your-writes}), or null when not measured
 * @param notVisibleInTime events whose rows were not visible within {@code --visible-timeout}
 *     according to the shards' applied offsets, or -1 when not watched
 * @param verification {@code ids}, {@code offsets} or {@code none}
 * @param visibility what reading every event back through query-service found, or null
 * @param statsBefore query-service's {@code /stats} totals before sending, or null
 * @param statsAfter the same after the events were visible, or null
 * @param machineBefore cores and load average at the start
 * @param machineAfter the same at the end
 * @param ok true when every event of the source was accepted and verified as asked
 */
@Serdeable
record IngestSummary(
    String startedAt,
    String source,
    SourceCounts sourceCounts,
    String sink,
    int eventsPerRequest,
    DriverResult run,
    @Nullable Percentiles freshness,
    Map<Integer, Percentiles> freshnessByPartition,
    String freshnessNote,
    ReadYourWritesProbe.@Nullable Result readYourWrites,
    long notVisibleInTime,
    String verification,
    VisibilityCheck.@Nullable Result visibility,
    @Nullable StatsTotals statsBefore,
    @Nullable StatsTotals statsAfter,
    Machine machineBefore,
    Machine machineAfter,
    boolean ok) {}
