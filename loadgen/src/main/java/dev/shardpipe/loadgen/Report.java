package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.drive.DriverResult;
import dev.shardpipe.loadgen.drive.Percentiles;
import dev.shardpipe.loadgen.observe.ReadYourWritesProbe;
import dev.shardpipe.loadgen.observe.VisibilityCheck;
import dev.shardpipe.loadgen.source.SourceCounts;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintStream;
import java.util.Map;

/** Prints an ingest run's summary for people, one line per subject. */
final class Report {

  private final PrintStream out;

  Report(PrintStream out) {
    this.out = out;
  }

  void print(IngestSummary s, @Nullable String firstFailure) {
    SourceCounts c = s.sourceCounts();
    DriverResult r = s.run();
    line("sink", s.sink());
    line(
        "source",
        String.format(
            "%,d items read, %,d events, %,d skipped",
            c.items(), c.events(), c.items() - c.events()));
    for (Map.Entry<String, Long> skip : c.skipped().entrySet()) {
      line(
          "  skipped",
          String.format(
              "%,d %s (first: %s)",
              skip.getValue(), skip.getKey(), c.examples().get(skip.getKey())));
    }
    for (Map.Entry<String, Long> note : c.notes().entrySet()) {
      line(
          "  note",
          String.format(
              "%,d %s (first: %s)",
              note.getValue(), note.getKey(), c.examples().get(note.getKey())));
    }
    line(
        "sent",
        String.format(
            "%,d events in %,d requests: %,d events acknowledged, %,d failed%s",
            r.eventsOk() + r.eventsFailed(),
            r.requests(),
            r.eventsOk(),
            r.eventsFailed(),
            r.unfinished() > 0 ? String.format(", %,d requests unanswered", r.unfinished()) : ""));
    r.failures()
        .forEach((cause, n) -> line("  failed", String.format("%,d requests: %s", n, cause)));
    if (firstFailure != null) {
      line("  first", firstFailure);
    }
    line(
        "rate",
        String.format(
            "%,.0f events/s, %,.1f requests/s over %.1f s measured%s",
            r.eventsPerSecond(),
            r.requestsPerSecond(),
            r.measuredSeconds(),
            r.lateRequests() > 0
                ? String.format(" (%,d requests left late: in-flight bound)", r.lateRequests())
                : ""));
    line("latency", percentiles(r.latency()) + " (per request, from when it was due)");
    line(
        "freshness",
        s.freshness() == null
            ? s.freshnessNote()
            : percentiles(s.freshness()) + " (send to row visible; " + s.freshnessNote() + ")");
    ReadYourWritesProbe.Result ryw = s.readYourWrites();
    if (ryw != null) {
      line(
          "read-your-writes",
          percentiles(ryw.latency())
              + " (202 to the row, read with its token)"
              + (ryw.notApplied() + ryw.failed() == 0
                  ? ""
                  : String.format(
                      "; %,d not yet applied, %,d failed (first: %s)",
                      ryw.notApplied(), ryw.failed(), ryw.firstProblem()))
              + (ryw.skipped() == 0
                  ? ""
                  : String.format("; %,d not probed: reads in flight", ryw.skipped())));
    }
    if (s.notVisibleInTime() > 0) {
      line(
          "  late",
          String.format("%,d events not applied within --visible-timeout", s.notVisibleInTime()));
    }
    VisibilityCheck.Result v = s.visibility();
    if (v != null) {
      line(
          "visible",
          String.format(
              "%,d of %,d events read back through query-service by id with their shard key" + "%s",
              v.visible(),
              v.expected(),
              v.complete()
                  ? ""
                  : String.format(
                      "; %,d missing, %,d different, %,d lookups failed (first: %s)",
                      v.missing(), v.mismatched(), v.errors(), v.firstProblem())));
    } else if (s.verification().equals("offsets") && s.notVisibleInTime() == 0) {
      line(
          "visible",
          "every event applied: its shard's applied offset passed its offset (not read back by"
              + " id: --verify offsets)");
    } else {
      line("visible", "not checked (--verify " + s.verification() + ")");
    }
    if (s.statsBefore() != null && s.statsAfter() != null) {
      line(
          "/stats",
          "tweets "
              + change(s.statsBefore().tweets(), s.statsAfter().tweets())
              + ", file_metadata "
              + change(s.statsBefore().files(), s.statsAfter().files())
              + ", lag "
              + s.statsAfter().lag());
    }
    line(
        "machine",
        String.format(
            "%d cores, load average %.2f at the start, %.2f at the end",
            s.machineAfter().cores(),
            s.machineBefore().loadAverage(),
            s.machineAfter().loadAverage()));
    out.println(
        s.ok()
            ? "OK: every event of the source was acknowledged"
                + (v != null
                    ? " and is visible through query-service"
                    : s.verification().equals("offsets") ? " and applied in its shard" : "")
            : "NOT OK: see the lines above");
  }

  private static String change(@Nullable Long before, @Nullable Long after) {
    if (before == null || after == null) {
      return before + " -> " + after;
    }
    return String.format("%,d -> %,d (%+,d)", before, after, after - before);
  }

  private static String percentiles(Percentiles p) {
    if (p.count() == 0) {
      return "none measured";
    }
    return String.format(
        "ms p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%,d values)",
        p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.count());
  }

  private void line(String subject, String text) {
    out.printf("  %-13s %s%n", subject, text);
  }
}
