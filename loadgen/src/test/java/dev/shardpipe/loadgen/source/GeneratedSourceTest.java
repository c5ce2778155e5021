package dev.shardpipe.loadgen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The source's own duties; what the events look like is the generator's (EventGeneratorTest). */
class GeneratedSourceTest {

  private static final Clock WINTER =
      Clock.fixed(Instant.parse("2025-01-15T12:00:00Z"), ZoneOffset.UTC);
  private static final int EVENTS = 2000;

  @Test
  void givesTheSameTweetsWithStableIdsForTheSameSeed() {
    List<Event> first = drain(GeneratedSource.tweets(42, EVENTS, 1000, WINTER));
    List<Event> again = drain(GeneratedSource.tweets(42, EVENTS, 1000, WINTER));

    assertThat(again).isEqualTo(first);
    assertThat(first).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(first.get(5).id()).isEqualTo(StableIds.synthetic(42, EventKind.TWEET, 5));
    assertThat(first).allMatch(TweetEvent.class::isInstance);
    assertThat(first).extracting(Event::occurredAt).containsOnly(WINTER.instant());
  }

  @Test
  void makesFilesOnlyWithUsersInRangeAndTheirOwnIds() {
    List<Event> files = drain(GeneratedSource.files(7, EVENTS, 20, WINTER));

    assertThat(files).allMatch(FileEvent.class::isInstance);
    assertThat(files)
        .extracting(f -> ((FileEvent) f).data().userId())
        .allMatch(u -> u >= 1 && u <= 20);
    assertThat(files.get(0).id()).isEqualTo(StableIds.synthetic(7, EventKind.FILE, 0));
  }

  @Test
  void leavesSeventyPercentOfTheTweetsUnliked() {
    long unliked =
        drain(GeneratedSource.tweets(3, EVENTS, 100, WINTER)).stream()
            .filter(t -> ((TweetEvent) t).data().likeCount() == 0)
            .count();

    assertThat(unliked).isBetween(EVENTS * 65L / 100, EVENTS * 75L / 100);
  }

  @Test
  void givesExactlyTheCountAndCountsWhatItMade() {
    GeneratedSource source = GeneratedSource.files(7, 3, 10, WINTER);

    assertThat(drain(source)).hasSize(3);
    assertThat(source.expectedEvents()).hasValue(3);
    assertThat(source.counts().events()).isEqualTo(3);
    assertThat(source.counts().items()).isEqualTo(3);
    assertThatThrownBy(source::next).isInstanceOf(NoSuchElementException.class);
    assertThat(source.description()).isEqualTo("synthetic files, seed 7, users 1..10");
  }

  @Test
  void knowsNoCountWhenUnbounded() {
    GeneratedSource source = GeneratedSource.tweets(7, Long.MAX_VALUE, 10, WINTER);

    assertThat(source.expectedEvents()).isEmpty();
    assertThat(source.hasNext()).isTrue();
  }

  @Test
  void refusesANegativeCountOrNoKeys() {
    assertThatThrownBy(() -> GeneratedSource.tweets(7, -1, 10, WINTER))
        .hasMessage("count must be >= 0, was -1");
    assertThatThrownBy(() -> GeneratedSource.files(7, 1, 0, WINTER))
        .hasMessage("owners or users must be >= 1, was 0");
  }

  private static List<Event> drain(EventSource source) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 100_000 && source.hasNext(); i++) {
      events.add(source.next());
    }
    return events;
  }
}
