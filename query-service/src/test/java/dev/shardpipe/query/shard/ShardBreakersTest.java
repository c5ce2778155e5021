package dev.shardpipe.query.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failsafe.CircuitBreaker;
import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShardBreakersTest {

  private static final Duration DELAY = Duration.ofMillis(300);

  private final ShardBreakers breakers =
      new ShardBreakers(
          new QueryConfiguration(
              Duration.ofSeconds(2),
              Duration.ofSeconds(1),
              4,
              50,
              1000,
              "sixteen bytes ok",
              Duration.ofSeconds(5),
              Duration.ofSeconds(10),
              3,
              DELAY,
              16,
              64,
              Duration.ofSeconds(1)),
          new SimpleMeterRegistry());

  @Test
  void aSaturatedPoolNeverOpensTheBreakerHoweverOftenItHappens() {
    CircuitBreaker<Object> eu = breakers.of("eu");
    for (int i = 0; i < 100; i++) {
      assertThat(eu.tryAcquirePermit()).isTrue();
      breakers.record("eu", ShardFailure.BUSY);
    }
    assertThat(eu.isClosed()).isTrue();
  }

  @Test
  void busyCallsBetweenFailuresNeitherCountNorResetTheFailures() {
    // A shard that really stopped answering still opens its breaker while others wait for
    // connections to it.
    for (int i = 0; i < 3; i++) {
      breakers.of("us").tryAcquirePermit();
      breakers.record("us", ShardFailure.TIMEOUT);
      breakers.of("us").tryAcquirePermit();
      breakers.record("us", ShardFailure.BUSY);
    }
    assertThat(breakers.of("us").isOpen()).isTrue();
    assertThat(breakers.of("eu").isClosed()).isTrue();
  }

  @Test
  void opensOnConsecutiveTimeoutsOrConnectionFailuresButNotOnSqlErrors() {
    for (int i = 0; i < 10; i++) {
      breakers.of("eu").tryAcquirePermit();
      breakers.record("eu", ShardFailure.FAILED);
    }
    assertThat(breakers.of("eu").isClosed()).isTrue();
    breakers.record("eu", ShardFailure.UNREACHABLE);
    breakers.record("eu", ShardFailure.TIMEOUT);
    assertThat(breakers.of("eu").isClosed()).isTrue();
    breakers.record("eu", ShardFailure.UNREACHABLE);
    assertThat(breakers.of("eu").isOpen()).isTrue();
  }

  @Test
  void aHalfOpenTrialThatNeverReachedTheShardTriesAgainAfterTheDelay() {
    CircuitBreaker<Object> us = breakers.of("us");
    for (int i = 0; i < 3; i++) {
      breakers.record("us", ShardFailure.UNREACHABLE);
    }
    await().atMost(Duration.ofSeconds(5)).until(us::tryAcquirePermit);
    assertThat(us.isHalfOpen()).isTrue();
    assertThat(us.tryAcquirePermit()).as("one trial at a time").isFalse();

    breakers.record("us", ShardFailure.BUSY);
    // Not stuck half-open without a permit: open, and half-open again after the delay.
    assertThat(us.isOpen()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(us::tryAcquirePermit);
    breakers.record("us", null);
    assertThat(us.isClosed()).isTrue();
  }

  @Test
  void classifiesASaturatedPoolAsBusy() {
    assertThat(
            ScatterGather.classify(
                new PoolSaturatedException(
                    "eu", new SQLTransientConnectionException("Connection is not available"))))
        .isEqualTo(ShardFailure.BUSY);
  }
}
