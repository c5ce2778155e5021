package dev.shardpipe.ingest.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackpressureTest {

  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final Backpressure DECISION = Backpressure.of(100, Duration.ofSeconds(1));
  private static final LagReading READING = new LagReading(Map.of(1, 101L, 2, 100L, 3, 5L), NOW);

  @Test
  void refusesOnlyPartitionsOverMaxLagOnceEachAscending() {
    assertThat(DECISION.behind(READING, List.of(3, 1, 2, 1), NOW)).containsExactly(1);
    assertThat(DECISION.behind(READING, List.of(2, 3), NOW)).isEmpty();
  }

  @Test
  void acceptsPartitionsWhoseLagIsUnknown() {
    assertThat(DECISION.behind(READING, List.of(4), NOW)).isEmpty();
    assertThat(DECISION.behind(LagReading.NONE, List.of(1), NOW)).isEmpty();
  }

  @Test
  void stopsRefusingWhenTheReadingIsStale() {
    assertThat(DECISION.behind(READING, List.of(1), NOW.plusSeconds(5))).containsExactly(1);
    assertThat(DECISION.behind(READING, List.of(1), NOW.plusMillis(5_001))).isEmpty();
  }

  @Test
  void refusesNothingWhenMaxLagIsZero() {
    assertThat(Backpressure.of(0, Duration.ofSeconds(1)).behind(READING, List.of(1), NOW))
        .isEmpty();
  }
}
