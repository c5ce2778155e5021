package dev.shardpipe.query.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ScatterGatherTest {

  @Test
  void countsASessionTheServerEndedAsAnUnreachableShard() {
    // pg_terminate_backend, a fast shutdown, a crash restart, and a server still starting.
    for (String state : new String[] {"57P01", "57P02", "57P03"}) {
      assertThat(ScatterGather.classify(new SQLException("terminating connection", state)))
          .as(state)
          .isEqualTo(ShardFailure.UNREACHABLE);
    }
    assertThat(ScatterGather.classify(new SQLException("I/O error", "08006")))
        .isEqualTo(ShardFailure.UNREACHABLE);
  }

  @Test
  void tellsAPoolThatCouldNotConnectFromOneThatWaitedInVain() {
    assertThat(
            ScatterGather.classify(
                new SQLTransientConnectionException(
                    "Connection is not available", "08001", new ConnectException("refused"))))
        .isEqualTo(ShardFailure.UNREACHABLE);
    assertThat(
            ScatterGather.classify(
                new SQLTransientConnectionException("Connection is not available", "08001")))
        .isEqualTo(ShardFailure.TIMEOUT);
  }

  @Test
  void countsACancelledStatementAsATimeoutAndAnyOtherErrorAsAFailure() {
    assertThat(ScatterGather.classify(new SQLException("canceling statement", "57014")))
        .isEqualTo(ShardFailure.TIMEOUT);
    assertThat(ScatterGather.classify(new SQLException("relation does not exist", "42P01")))
        .isEqualTo(ShardFailure.FAILED);
    assertThat(ScatterGather.classify(new SQLException("no state"))).isEqualTo(ShardFailure.FAILED);
  }
}
