package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeRowsTest {

  private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

  private static String rows(long seed) {
    FakeRows fake = new FakeRows(seed, END);
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      fake.tweet(rows, "europe", 1 + i % 7, i % 16);
      fake.file(rows, fake.key(50), i % 16);
    }
    return rows.toString();
  }

  @Test
  void givesTheSameRowsForTheSameSeedAndOthersForAnother() {
    assertThat(rows(4)).isEqualTo(rows(4)).isNotEqualTo(rows(5));
  }

  @Test
  void writesOneLineOfSevenColumnsPerRowWithNothingCopyMustEscape() {
    String[] lines = rows(4).split("\n", -1);

    assertThat(lines).hasSize(401);
    assertThat(lines[400]).isEmpty();
    for (int i = 0; i < 400; i++) {
      assertThat(lines[i].split("\t", -1)).as(lines[i]).hasSize(7);
      assertThat(lines[i]).doesNotContain("\\").doesNotContain("\r");
    }
  }

  @Test
  void spreadsTimesOverTheThirtyDaysBeforeTheEnd() {
    for (String line : rows(4).split("\n")) {
      Instant at = Instant.parse(line.split("\t")[5]);
      assertThat(at).isBetween(END.minusSeconds(30L * 24 * 3600), END);
    }
  }
}
