package dev.shardpipe.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FakeEventsTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @Test
  void generatesValidTweetsFromSeveralLocationsWithDistinctIds() {
    List<TweetEvent> tweets = new FakeEvents(new Random(1), UUID::randomUUID).tweets(500, NOW);
    assertThat(tweets).hasSize(500);
    assertThat(tweets).extracting(TweetEvent::id).doesNotHaveDuplicates();
    assertThat(tweets)
        .extracting(t -> t.data().location())
        .containsOnly("europe", "usa", "asia")
        .contains("europe", "usa", "asia");
    assertThat(tweets).allSatisfy(t -> assertThat(t.occurredAt()).isEqualTo(NOW));
  }

  @Test
  void generatesFilesWithNamesSizesAndMediaTypes() {
    List<FileEvent> files = new FakeEvents(new Random(2), UUID::randomUUID).files(200, NOW);
    assertThat(files).hasSize(200);
    assertThat(files)
        .allSatisfy(
            f -> {
              assertThat(f.data().fileName()).isNotBlank();
              assertThat(f.data().sizeBytes()).isNotNull().isNotNegative();
              assertThat(f.data().contentType()).contains("/");
            });
  }

  @Test
  void aSeedRepeatsTheSameData() {
    List<TweetEvent> first = new FakeEvents(new Random(7), UUID::randomUUID).tweets(20, NOW);
    List<TweetEvent> second = new FakeEvents(new Random(7), UUID::randomUUID).tweets(20, NOW);
    assertThat(first)
        .extracting(TweetEvent::data)
        .isEqualTo(second.stream().map(TweetEvent::data).toList());
  }
}
