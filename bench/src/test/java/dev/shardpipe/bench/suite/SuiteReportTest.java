package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteReportTest {

  @TempDir Path dir;

  @Test
  void theReportReplacesOnlyWhatLiesBetweenTheMarkers() throws IOException {
    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(
        docs,
        "# Benchmarks\nintro\n"
            + SuiteReport.BEGIN
            + "\nold table\n"
            + SuiteReport.END
            + "\n## History\nkept\n");

    SuiteReport.writeInto(docs, "new table\n");
    SuiteReport.writeInto(docs, "newer table\n");

    assertThat(Files.readString(docs))
        .isEqualTo(
            "# Benchmarks\nintro\n"
                + SuiteReport.BEGIN
                + "\nnewer table\n"
                + SuiteReport.END
                + "\n## History\nkept\n");
  }

  @Test
  void aFileWithoutMarkersIsLeftAlone() throws IOException {
    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(docs, "# Benchmarks\n" + SuiteReport.END + "\n" + SuiteReport.BEGIN + "\n");

    assertThatThrownBy(() -> SuiteReport.writeInto(docs, "table\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SuiteReport.BEGIN);
    assertThat(Files.readString(docs))
        .isEqualTo("# Benchmarks\n" + SuiteReport.END + "\n" + SuiteReport.BEGIN + "\n");
  }

  @Test
  void theMarkdownHasTheCommandAndOneTableRowPerFigure() {
    SuiteRow row =
        new SuiteRow("drain", "70 000 rows/s", "JDBC", "72 000 rows/s", "0.97", "", "", "1.0");

    String report =
        SuiteReport.markdown(
            options(Duration.ofSeconds(30)), List.of(row, row), "2026-11-21T12:00Z");

    assertThat(report)
        .contains("bench/run.sh --measure PT30S")
        .contains("| drain | 70 000 rows/s | JDBC | 72 000 rows/s | 0.97 |  |  | 1.0 |");
    assertThat(report.lines().filter(l -> l.startsWith("| drain"))).hasSize(2);
  }

  private SuiteOptions options(Duration measure) {
    return new SuiteOptions(
        dir,
        dir,
        null,
        measure,
        Duration.ZERO,
        Duration.ZERO,
        1,
        150,
        1,
        1,
        1,
        1,
        1,
        1,
        19_180,
        4,
        1,
        1,
        Duration.ofSeconds(60),
        EnumSet.allOf(Figure.class));
  }
}
