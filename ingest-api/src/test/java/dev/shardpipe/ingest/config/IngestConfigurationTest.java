package dev.shardpipe.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestConfigurationTest {

  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void refusesABatchLargerThanTheInFlightLimit() {
    assertThatThrownBy(
            () ->
                new IngestConfiguration(
                    1, 30_000, 1, 20_000, Duration.ofSeconds(1), FIVE_MINUTES, true, 1, SECOND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shardpipe.ingest.max-batch-items (30000) must not exceed"
                + " shardpipe.ingest.max-in-flight-events (20000): such a request could never be"
                + " published");
  }

  @Test
  void refusesNonPositiveValues() {
    assertThatThrownBy(
            () ->
                new IngestConfiguration(
                    0, 1, 1, 1, Duration.ofSeconds(1), FIVE_MINUTES, true, 1, SECOND))
        .hasMessage("shardpipe.ingest.max-event-bytes must be at least 1, was 0");
    assertThatThrownBy(
            () -> new IngestConfiguration(1, 1, 1, 1, Duration.ZERO, FIVE_MINUTES, true, 1, SECOND))
        .hasMessage("shardpipe.ingest.retry-after must be positive, was PT0S");
    assertThatThrownBy(
            () ->
                new IngestConfiguration(
                    1, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(-1), true, 1, SECOND))
        .hasMessage("shardpipe.ingest.max-future must not be negative, was PT-1S");
  }

  @Test
  void refusesANegativeMaxLagAndTakesZeroAsBackpressureOff() {
    assertThatThrownBy(
            () -> new IngestConfiguration(1, 1, 1, 1, SECOND, FIVE_MINUTES, true, -1, SECOND))
        .hasMessage(
            "shardpipe.ingest.max-lag must be at least 0 (0 turns backpressure off), was -1");
    assertThatThrownBy(
            () -> new IngestConfiguration(1, 1, 1, 1, SECOND, FIVE_MINUTES, true, 1, Duration.ZERO))
        .hasMessage("shardpipe.ingest.lag-refresh-interval must be positive, was PT0S");
    assertThat(
            new IngestConfiguration(1, 1, 1, 1, SECOND, FIVE_MINUTES, true, 0, SECOND)
                .backpressure())
        .isFalse();
  }
}
