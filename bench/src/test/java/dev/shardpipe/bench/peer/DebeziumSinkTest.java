package dev.shardpipe.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DebeziumSinkTest {

  @Test
  void lastRecordOfEachPartitionIsTheOneProducedLastToIt() {
    List<TweetEvent> events = List.of(tweet(1), tweet(2), tweet(3), tweet(4), tweet(5));
    int[] partitions = {3, 0, 3, 0, 7};

    assertThat(DebeziumSink.lastOfEachPartition(events, partitions))
        .containsExactly(id(4), id(3), id(5));
  }

  private static TweetEvent tweet(int n) {
    return TweetEvent.upsert(id(n), Instant.EPOCH.plusMillis(n), "europe", n, "text " + n, 0);
  }

  private static UUID id(int n) {
    return new UUID(0, n);
  }
}
