package dev.shardpipe.writer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriterConfigurationTest {

  private static WriterConfiguration config(int poolSize, Duration connectionTimeout, int writers) {
    return new WriterConfiguration(
        "eu",
        Duration.ofMillis(500),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        poolSize,
        connectionTimeout,
        writers,
        Duration.ofSeconds(60),
        WriterConfiguration.DEFAULT_CUTOVER_LAG,
        Duration.ofSeconds(5),
        false);
  }

  @Test
  void refusesANegativeCutoverLag() {
    assertThatThrownBy(
            () ->
                new WriterConfiguration(
                    "eu",
                    Duration.ofMillis(500),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    3,
                    Duration.ofSeconds(2),
                    2,
                    Duration.ofSeconds(60),
                    -1,
                    Duration.ofSeconds(5),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.writer.cutover-lag must be at least 0, was -1");
  }

  @Test
  void acceptsTheDefaults() {
    WriterConfiguration defaults =
        config(
            WriterConfiguration.DEFAULT_POOL_SIZE,
            Duration.ofSeconds(2),
            WriterConfiguration.DEFAULT_WRITE_CONCURRENCY);
    assertThat(defaults.poolSize()).isGreaterThan(defaults.writeConcurrency());
  }

  @Test
  void needsOneConnectionMoreThanConcurrentPartitionTransactions() {
    assertThatThrownBy(() -> config(2, Duration.ofSeconds(2), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shardpipe.writer.pool-size (2) must be greater than shardpipe.writer.write-concurrency"
                + " (2): each concurrent partition transaction holds a connection, and health"
                + " checks need one more");
    assertThatThrownBy(() -> config(3, Duration.ofSeconds(2), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.writer.write-concurrency must be at least 1, was 0");
  }

  @Test
  void refusesAConnectionTimeoutBelowHikarisFloor() {
    assertThatThrownBy(() -> config(2, Duration.ofMillis(100), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.writer.connection-timeout must be at least 250ms, was PT0.1S");
  }
}
