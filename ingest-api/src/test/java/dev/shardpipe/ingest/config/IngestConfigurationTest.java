package dev.shardpipe.ingest.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestConfigurationTest {

  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  @Test
  void refusesABatchLargerThanTheInFlightLimit() {
    assertThatThrownBy(
            () ->
                new IngestConfiguration(
                    1, 30_000, 1, 20_000, Duration.ofSeconds(1), FIVE_MINUTES, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shardpipe.ingest.max-batch-items (30000) must not exceed"
                + " shardpipe.ingest.max-in-flight-events (20000): such a request could never be"
                + " published");
  }

  @Test
  void refusesNonPositiveValues() {
    assertThatThrownBy(
            () -> new IngestConfiguration(0, 1, 1, 1, Duration.ofSeconds(1), FIVE_MINUTES, true))
        .hasMessage("shardpipe.ingest.max-event-bytes must be at least 1, was 0");
    assertThatThrownBy(() -> new IngestConfiguration(1, 1, 1, 1, Duration.ZERO, FIVE_MINUTES, true))
        .hasMessage("shardpipe.ingest.retry-after must be positive, was PT0S");
    assertThatThrownBy(
            () ->
                new IngestConfiguration(
                    1, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(-1), true))
        .hasMessage("shardpipe.ingest.max-future must not be negative, was PT-1S");
  }
}
