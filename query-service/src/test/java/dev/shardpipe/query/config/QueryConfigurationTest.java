package dev.shardpipe.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryConfigurationTest {

  private static QueryConfiguration config(
      Duration queryTimeout,
      Duration connectionTimeout,
      int poolSize,
      int defaultLimit,
      int maxLimit,
      String secret) {
    return new QueryConfiguration(
        queryTimeout,
        connectionTimeout,
        poolSize,
        defaultLimit,
        maxLimit,
        secret,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        3,
        Duration.ofSeconds(5),
        16,
        64,
        Duration.ofSeconds(1));
  }

  private static QueryConfiguration valid() {
    return config(Duration.ofSeconds(2), Duration.ofSeconds(1), 4, 50, 1000, "sixteen bytes ok");
  }

  @Test
  void acceptsTheDefaults() {
    QueryConfiguration config =
        new QueryConfiguration(
            Duration.parse("PT" + QueryConfiguration.DEFAULT_QUERY_TIMEOUT.toUpperCase()),
            Duration.parse("PT" + QueryConfiguration.DEFAULT_CONNECTION_TIMEOUT.toUpperCase()),
            QueryConfiguration.DEFAULT_POOL_SIZE,
            QueryConfiguration.DEFAULT_DEFAULT_LIMIT,
            QueryConfiguration.DEFAULT_MAX_LIMIT,
            QueryConfiguration.DEFAULT_CURSOR_SECRET,
            Duration.parse("PT" + QueryConfiguration.DEFAULT_RETRY_AFTER.toUpperCase()),
            Duration.parse("PT" + QueryConfiguration.DEFAULT_STATS_TIMEOUT.toUpperCase()),
            QueryConfiguration.DEFAULT_BREAKER_FAILURES,
            Duration.parse("PT" + QueryConfiguration.DEFAULT_BREAKER_DELAY.toUpperCase()),
            QueryConfiguration.DEFAULT_EXECUTOR_THREADS,
            QueryConfiguration.DEFAULT_EXECUTOR_QUEUE,
            Duration.parse("PT" + QueryConfiguration.DEFAULT_STATS_MAX_AGE.toUpperCase()));
    assertThat(config.usesDefaultCursorSecret()).isTrue();
    assertThat(valid().usesDefaultCursorSecret()).isFalse();
  }

  @Test
  void rejectsATimeoutThatIsNotPositive() {
    assertThatThrownBy(
            () -> config(Duration.ZERO, Duration.ofSeconds(1), 4, 50, 1000, "sixteen bytes ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.query-timeout must be positive, was PT0S");
  }

  @Test
  void rejectsAConnectionTimeoutHikariWouldIgnore() {
    assertThatThrownBy(
            () ->
                config(
                    Duration.ofSeconds(2), Duration.ofMillis(100), 4, 50, 1000, "sixteen bytes ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.connection-timeout must be at least 250ms, was PT0.1S");
  }

  @Test
  void rejectsAnEmptyPool() {
    assertThatThrownBy(
            () ->
                config(
                    Duration.ofSeconds(2), Duration.ofSeconds(1), 0, 50, 1000, "sixteen bytes ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.pool-size must be at least 1, was 0");
  }

  @Test
  void rejectsLimitsOutOfOrder() {
    assertThatThrownBy(
            () ->
                config(Duration.ofSeconds(2), Duration.ofSeconds(1), 4, 50, 0, "sixteen bytes ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.max-limit must be at least 1, was 0");
    assertThatThrownBy(
            () ->
                config(
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1),
                    4,
                    2000,
                    1000,
                    "sixteen bytes ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shardpipe.query.default-limit must be between 1 and shardpipe.query.max-limit (1000),"
                + " was 2000");
  }

  @Test
  void rejectsAShortCursorSecretWithoutEchoingIt() {
    assertThatThrownBy(
            () -> config(Duration.ofSeconds(2), Duration.ofSeconds(1), 4, 50, 1000, "hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.cursor-secret must be at least 16 bytes long")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void rejectsABreakerThatCouldNeverCloseOrNeverOpen() {
    assertThatThrownBy(() -> breaker(0, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.breaker-failures must be at least 1, was 0");
    assertThatThrownBy(() -> breaker(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.breaker-delay must be positive, was PT0S");
  }

  @Test
  void rejectsAStatsTimeoutThatIsNotPositive() {
    assertThatThrownBy(
            () ->
                new QueryConfiguration(
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1),
                    4,
                    50,
                    1000,
                    "sixteen bytes ok",
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(-1),
                    3,
                    Duration.ofSeconds(5),
                    16,
                    64,
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.query.stats-timeout must be positive, was PT-1S");
  }

  private static QueryConfiguration breaker(int failures, Duration delay) {
    return new QueryConfiguration(
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        4,
        50,
        1000,
        "sixteen bytes ok",
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        failures,
        delay,
        16,
        64,
        Duration.ofSeconds(1));
  }

  @Test
  void leavesTheSecretOutOfItsText() {
    assertThat(valid().toString()).doesNotContain("sixteen bytes ok").contains("<hidden>");
  }
}
