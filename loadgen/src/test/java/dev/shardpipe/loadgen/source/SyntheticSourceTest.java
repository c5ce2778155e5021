package dev.shardpipe.loadgen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import io.micronaut.json.JsonMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {

  private static final Clock WINTER =
      Clock.fixed(Instant.parse("2025-01-15T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock SUMMER =
      Clock.fixed(Instant.parse("2025-07-15T12:00:00Z"), ZoneOffset.UTC);
  private static final int EVENTS = 2000;

  @Test
  void givesTheSameTweetsForTheSameSeed() {
    List<Event> first = drain(SyntheticSource.tweets(42, EVENTS, 1000, WINTER));
    List<Event> again = drain(SyntheticSource.tweets(42, EVENTS, 1000, WINTER));

    assertThat(again).isEqualTo(first);
    assertThat(first).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(first.get(5).id()).isEqualTo(StableIds.synthetic(42, EventKind.TWEET, 5));
  }

  @Test
  void givesOtherTweetsForAnotherSeed() {
    List<Event> first = drain(SyntheticSource.tweets(42, 100, 1000, WINTER));
    List<Event> other = drain(SyntheticSource.tweets(43, 100, 1000, WINTER));

    assertThat(other).extracting(Event::id).doesNotContainAnyElementsOf(ids(first));
    assertThat(texts(other)).isNotEqualTo(texts(first));
  }

  @Test
  void keepsEachTweetsShardKeyWhateverTheDateOfTheRun() {
    List<Event> winter = drain(SyntheticSource.tweets(7, EVENTS, 1000, WINTER));
    List<Event> summer = drain(SyntheticSource.tweets(7, EVENTS, 1000, SUMMER));

    assertThat(summer)
        .extracting(Event::shardKey)
        .containsExactlyElementsOf(winter.stream().map(Event::shardKey).toList());
  }

  @Test
  void drawsTweetsFromRealisticLocationsOwnersAndTexts() {
    List<TweetEvent> tweets =
        drain(SyntheticSource.tweets(7, EVENTS, 50, WINTER)).stream()
            .map(TweetEvent.class::cast)
            .toList();

    assertThat(tweets)
        .extracting(t -> t.data().location())
        .containsOnly(Locations.USA, Locations.EUROPE, Locations.OTHER)
        .contains(Locations.USA, Locations.EUROPE, Locations.OTHER);
    assertThat(tweets).extracting(t -> t.data().ownerId()).allMatch(o -> o >= 1 && o <= 50);
    assertThat(tweets.stream().map(t -> t.data().ownerId()).distinct().count()).isEqualTo(50);
    assertThat(tweets.stream().map(t -> t.data().text()).distinct().count()).isGreaterThan(100);
    assertThat(tweets).extracting(Event::occurredAt).containsOnly(WINTER.instant());
  }

  @Test
  void drawsFilesWithNamesTypesAndSizes() {
    List<FileEvent> files =
        drain(SyntheticSource.files(7, EVENTS, 20, WINTER)).stream()
            .map(FileEvent.class::cast)
            .toList();

    assertThat(files).extracting(f -> f.data().userId()).allMatch(u -> u >= 1 && u <= 20);
    assertThat(files).extracting(f -> f.data().fileName()).allMatch(n -> n.matches("\\S+\\.\\w+"));
    assertThat(files).extracting(f -> f.data().contentType()).allMatch(t -> t.contains("/"));
    assertThat(files.stream().map(f -> f.data().contentType()).distinct().count()).isGreaterThan(5);
    assertThat(files).extracting(f -> f.data().sizeBytes()).allMatch(s -> s != null && s >= 0);
    assertThat(drain(SyntheticSource.files(7, EVENTS, 20, WINTER))).isEqualTo(files);
  }

  @Test
  void makesEventsCoreAccepts() throws Exception {
    EventCodec codec = new EventCodec(JsonMapper.createDefault());
    List<Event> events = new ArrayList<>(drain(SyntheticSource.tweets(1, EVENTS, 100_000, WINTER)));
    events.addAll(drain(SyntheticSource.files(1, EVENTS, 100_000, WINTER)));

    for (Event event : events) {
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
  }

  @Test
  void givesExactlyTheCountAndCountsWhatItMade() {
    SyntheticSource source = SyntheticSource.files(7, 3, 10, WINTER);

    assertThat(drain(source)).hasSize(3);
    assertThat(source.expectedEvents()).hasValue(3);
    assertThat(source.counts().events()).isEqualTo(3);
    assertThat(source.counts().items()).isEqualTo(3);
    assertThatThrownBy(source::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void knowsNoCountWhenUnbounded() {
    SyntheticSource source = SyntheticSource.tweets(7, Long.MAX_VALUE, 10, WINTER);

    assertThat(source.expectedEvents()).isEmpty();
    assertThat(source.hasNext()).isTrue();
  }

  @Test
  void refusesANegativeCountOrNoKeys() {
    assertThatThrownBy(() -> SyntheticSource.tweets(7, -1, 10, WINTER))
        .hasMessage("count must be >= 0, was -1");
    assertThatThrownBy(() -> SyntheticSource.files(7, 1, 0, WINTER))
        .hasMessage("owners or users must be >= 1, was 0");
  }

  private static List<Event> drain(EventSource source) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 100_000 && source.hasNext(); i++) {
      events.add(source.next());
    }
    return events;
  }

  private static Set<UUID> ids(List<Event> events) {
    return events.stream().map(Event::id).collect(Collectors.toSet());
  }

  private static List<String> texts(List<Event> events) {
    return events.stream().map(e -> ((TweetEvent) e).data().text()).toList();
  }
}
