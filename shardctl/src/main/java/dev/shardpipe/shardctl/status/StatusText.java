package dev.shardpipe.shardctl.status;

import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.shardctl.plan.Rebalancer;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Writes {@code shardctl status} for people: a table of shards and one of moves. */
public final class StatusText {

  /** The narrowest rows column, which a 12-digit count fills. */
  private static final int ROWS_WIDTH = 12;

  private StatusText() {}

  /**
   * Writes a report.
   *
   * @param report the report
   * @param now the time to measure the moves' durations to
   * @param out where to write; not closed
   */
  public static void write(StatusReport report, Instant now, PrintWriter out) {
    out.printf("catalog version %d, %d partitions%n", report.version(), report.partitions());
    out.printf("%-12s %-10s %-9s %-22s", "SHARD", "REGION", "STATE", "PARTITIONS");
    for (EventKind kind : EventKind.values()) {
      out.print(rowsColumn(kind, kind.table().toUpperCase(Locale.ROOT)));
    }
    out.printf("  %s%n", "URL");
    for (ShardStatus s : report.shards()) {
      out.printf(
          "%-12s %-10s %-9s %-22s",
          s.name(),
          s.region() == null ? "-" : s.region(),
          s.state(),
          s.partitions().isEmpty() ? "-" : Rebalancer.ranges(s.partitions()));
      for (EventKind kind : EventKind.values()) {
        out.print(rowsColumn(kind, count(s.rows().get(kind))));
      }
      out.printf("  %s%n", s.url());
    }
    if (report.moves().isEmpty()) {
      out.println("no moves yet");
      out.flush();
      return;
    }
    out.println();
    out.printf(
        "%-6s %-9s %-12s %-12s %-12s %12s %10s  %s%n",
        "MOVE", "PARTITION", "FROM", "TO", "STATE", "ROWS_COPIED", "LAG", "TIME");
    for (MoveStatus m : report.moves()) {
      Instant end = m.finishedAt() == null ? now : m.finishedAt();
      out.printf(
          "%-6d %-9d %-12s %-12s %-12s %12d %10s  %s%s%n",
          m.id(),
          m.partition(),
          m.from(),
          m.to(),
          m.state(),
          m.rowsCopied(),
          count(m.lag()),
          duration(Duration.between(m.startedAt(), end)),
          m.error() == null ? "" : "  error: " + m.error());
    }
    out.flush();
  }

  /**
   * Right-aligns a cell of a kind's rows column: as wide as a 12-digit count, or as its table's
   * name and a space when that is longer, so that the headers stay apart.
   */
  private static String rowsColumn(EventKind kind, String cell) {
    int width = Math.max(ROWS_WIDTH, kind.table().length() + 1);
    return String.format(" %" + width + "s", cell);
  }

  private static String count(@Nullable Long value) {
    return value == null ? "-" : value.toString();
  }

  private static String duration(Duration d) {
    return Duration.ofSeconds(d.truncatedTo(ChronoUnit.SECONDS).getSeconds())
        .toString()
        .substring(2)
        .toLowerCase(Locale.ROOT);
  }
}
