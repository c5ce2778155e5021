package dev.shardpipe.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.store.PartitionFencedException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RetrierTest {

  private final List<Throwable> failedAttempts = new ArrayList<>();
  private final Retrier retrier =
      new Retrier(
          "eu", Duration.ofMillis(1), Duration.ofMillis(2), () -> false, failedAttempts::add);

  @Test
  void retriesWhatGoesAwayByItselfWhereverItIsInTheCauseChain() {
    assertThat(Retrier.isRetriable(new TimeoutException("broker away"))).isTrue();
    assertThat(
            Retrier.isRetriable(
                new ExecutionException(new NotLeaderOrFollowerException("leader moved"))))
        .isTrue();
    assertThat(Retrier.isRetriable(new SQLException("connection lost", "08006"))).isTrue();
    assertThat(Retrier.isRetriable(new SQLException("serialization failure", "40001"))).isTrue();
    assertThat(Retrier.isRetriable(new SQLTransientConnectionException("pool empty"))).isTrue();
    assertThat(
            Retrier.isRetriable(
                new IllegalStateException("flyway", new SQLException("shutting down", "57P01"))))
        .isTrue();
  }

  @Test
  void doesNotRetryWhatFailsTheSameWayEveryTime() {
    assertThat(Retrier.isRetriable(new SQLException("check violated", "23514"))).isFalse();
    assertThat(Retrier.isRetriable(new SQLException("no such table", "42P01"))).isFalse();
    assertThat(Retrier.isRetriable(new ExecutionException(new RecordTooLargeException("big"))))
        .isFalse();
    assertThat(Retrier.isRetriable(new PartitionFencedException("eu", 3, 10))).isFalse();
  }

  @Test
  void retriesUntilTheActionSucceedsAndReportsEachFailedAttempt() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();

    String result =
        retrier.call(
            3,
            "committing offsets 0..9",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new SQLException("connection lost", "08006");
              }
              return "committed";
            });

    assertThat(result).isEqualTo("committed");
    assertThat(calls).hasValue(3);
    assertThat(failedAttempts).hasSize(2);
  }

  @Test
  void wrapsAFatalErrorOnceNamingShardPartitionAndAction() {
    SQLException fatal = new SQLException("no such table", "42P01");

    assertThatThrownBy(
            () ->
                retrier.call(
                    3,
                    "committing offsets 0..9",
                    () -> {
                      throw fatal;
                    }))
        .isInstanceOf(ShardWriter.WriterFailure.class)
        .hasMessage("shard [eu] partition [3]: committing offsets 0..9 failed: " + fatal)
        .hasCause(fatal);
    assertThatThrownBy(
            () ->
                retrier.call(
                    -1,
                    "reading applied_offsets",
                    () -> {
                      throw new IllegalArgumentException("bad");
                    }))
        .isInstanceOf(ShardWriter.WriterFailure.class)
        .hasMessage(
            "shard [eu] partition [-]: reading applied_offsets failed:"
                + " java.lang.IllegalArgumentException: bad");
  }
}
