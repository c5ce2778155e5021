package dev.shardpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

  private static final Clock WINTER =
      Clock.fixed(Instant.parse("2025-01-15T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock SUMMER =
      Clock.fixed(Instant.parse("2025-07-15T12:00:00Z"), ZoneOffset.UTC);
  private static final Instant START = Instant.parse("2026-11-21T00:00:00Z");
  private static final int EVENTS = 2000;

  private static EventGenerator.Builder options(long seed) {
    return EventGenerator.builder(seed).occurredAt(OccurredAt.now(WINTER));
  }

  @Test
  void makesEventsCoreAcceptsThroughTheCodecAndTheirKind() throws Exception {
    EventCodec codec = new EventCodec(JsonMapper.createDefault());
    List<Event> events = options(1).pool(64).build().next(EVENTS);
    events.addAll(options(2).pool(0).texts(TweetTexts.lorem(3, 42)).build().next(200));

    assertThat(events).extracting(Event::type).contains(EventKind.TWEET, EventKind.FILE);
    for (Event event : events) {
      assertThat(event.op()).isEqualTo(Op.UPSERT);
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
      EventKind kind = event.type();
      assertThat(kind.event(Op.UPSERT, event.id(), event.occurredAt(), kind.values(event)))
          .isEqualTo(event);
    }
  }

  @Test
  void givesTheSameEventsForTheSameSeedAndOthersForAnother() {
    List<Event> first = options(42).build().next(EVENTS);
    List<Event> again = options(42).build().next(EVENTS);
    List<Event> other = options(43).build().next(EVENTS);

    assertThat(again).isEqualTo(first);
    assertThat(first).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(other).extracting(Event::id).doesNotContainAnyElementsOf(ids(first));
    assertThat(other.stream().map(Event::shardKey).toList())
        .isNotEqualTo(first.stream().map(Event::shardKey).toList());
  }

  @Test
  void givesTheSameRowsWithV4AndV7IdsButForTheIds() {
    OccurredAt stepped = OccurredAt.stepped(START, Duration.ofMillis(1));
    List<Event> v4 =
        options(4).occurredAt(stepped).ids(EventIds.randomV4(4)).pool(0).build().next(500);
    List<Event> v7 =
        options(4).occurredAt(stepped).ids(EventIds.timeOrderedV7(4)).pool(0).build().next(500);

    assertThat(v7).extracting(EventGeneratorTest::withoutId).isEqualTo(withoutIds(v4));
    assertThat(v4).extracting(e -> e.id().version()).containsOnly(4);
    assertThat(v7).extracting(e -> e.id().version()).containsOnly(7);
  }

  @Test
  void makesTimeOrderedV7IdsFromTheEventsTimes() {
    List<Event> events =
        options(9)
            .occurredAt(OccurredAt.stepped(START, Duration.ofMillis(1)))
            .ids(EventIds.timeOrderedV7(9))
            .build()
            .next(EVENTS);

    assertThat(events).extracting(Event::occurredAt).isSorted();
    // A UUIDv7 starts with its 48-bit Unix time in ms; its text sorts as its bits, unsigned.
    assertThat(events)
        .extracting(Event::id)
        .isSortedAccordingTo(Comparator.comparing(UUID::toString));
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).id().getMostSignificantBits() >>> 16)
          .isEqualTo(START.toEpochMilli() + i);
    }
    assertThat(
            options(9)
                .occurredAt(OccurredAt.stepped(START, Duration.ofMillis(1)))
                .ids(EventIds.timeOrderedV7(9))
                .build()
                .next(EVENTS))
        .isEqualTo(events);
  }

  @Test
  void keepsEachTweetsShardKeyWhateverTheDateOfTheRun() {
    List<Event> winter = options(7).tweetShare(1).build().next(EVENTS);
    List<Event> summer =
        options(7).occurredAt(OccurredAt.now(SUMMER)).tweetShare(1).build().next(EVENTS);

    assertThat(summer)
        .extracting(Event::shardKey)
        .containsExactlyElementsOf(winter.stream().map(Event::shardKey).toList());
  }

  @Test
  void drawsTweetsFromTimeZoneLocationsOwnersAndTexts() {
    List<TweetEvent> tweets = tweets(options(7).keys(50).unlikedShare(0.7).build(), EVENTS);

    assertThat(tweets)
        .extracting(t -> t.data().location())
        .containsOnly(Locations.USA, Locations.EUROPE, Locations.OTHER)
        .contains(Locations.USA, Locations.EUROPE, Locations.OTHER);
    assertThat(tweets).extracting(t -> t.data().ownerId()).allMatch(o -> o >= 1 && o <= 50);
    assertThat(tweets.stream().map(t -> t.data().ownerId()).distinct().count()).isEqualTo(50);
    assertThat(tweets.stream().map(t -> t.data().text()).distinct().count()).isGreaterThan(100);
    assertThat(tweets).extracting(Event::occurredAt).containsOnly(WINTER.instant());
    long unliked = tweets.stream().filter(t -> t.data().likeCount() == 0).count();
    assertThat(unliked).isBetween(EVENTS * 65L / 100, EVENTS * 75L / 100);
    assertThat(tweets).extracting(t -> t.data().likeCount()).allMatch(l -> l >= 0 && l < 1000);
  }

  @Test
  void spreadsFixedLocationsAndKeysOverEveryPartition() {
    Routing routing = Routing.defaults();
    EventGenerator generator =
        options(3).locations("europe", "usa", "asia").keys(1_000_000).build();
    List<Event> events = generator.next(16_000);

    Map<Integer, Long> perPartition =
        events.stream()
            .collect(Collectors.groupingBy(routing::partitionFor, Collectors.counting()));
    assertThat(perPartition).hasSize(routing.partitions());
    // 1000 events per partition on average: none is starved or doubled.
    assertThat(perPartition.values()).allMatch(n -> n > 500 && n < 2000);
    Map<String, Long> perLocation =
        tweets(events).stream()
            .collect(Collectors.groupingBy(t -> t.data().location(), Collectors.counting()));
    assertThat(perLocation.keySet()).containsExactlyInAnyOrder("europe", "usa", "asia");
    long tweets = perLocation.values().stream().mapToLong(Long::longValue).sum();
    assertThat(tweets).isBetween(7_600L, 8_400L);
    assertThat(perLocation.values()).allMatch(n -> Math.abs(n - tweets / 3.0) < tweets * 0.05);
  }

  @Test
  void drawsFilesWithNamesMediaTypesAndLogNormalSizes() {
    List<FileEvent> files = files(options(7).keys(20).tweetShare(0).build().next(EVENTS));

    assertThat(files).hasSize(EVENTS);
    assertThat(files).extracting(f -> f.data().userId()).allMatch(u -> u >= 1 && u <= 20);
    assertThat(files)
        .extracting(f -> f.data().fileName())
        .allMatch(n -> n.matches("\\S+/\\S+\\.\\w+"));
    assertThat(files).extracting(f -> f.data().contentType()).allMatch(t -> t.contains("/"));
    assertThat(files.stream().map(f -> f.data().contentType()).distinct().count()).isGreaterThan(5);
    long[] sizes = files.stream().mapToLong(f -> f.data().sizeBytes()).sorted().toArray();
    assertThat(sizes[0]).isNotNegative();
    long median = sizes[sizes.length / 2];
    assertThat(median)
        .isBetween(EventGenerator.MEDIAN_FILE_BYTES / 2, EventGenerator.MEDIAN_FILE_BYTES * 2);
  }

  @Test
  void makesLoremTextsOfTheAskedWordsWithNothingCopyOrCsvMustEscape() {
    List<TweetEvent> tweets =
        tweets(options(5).texts(TweetTexts.lorem(3, 27)).tweetShare(1).pool(0).build(), EVENTS);

    for (TweetEvent tweet : tweets) {
      String text = tweet.data().text();
      assertThat(text).matches("[A-Z][a-z]*( [a-z]+)*\\.");
      // Datafaker's sentence adds 0 to 5 words of its own.
      assertThat(text.split(" ").length).isBetween(3, 27 + 5);
    }
    double mean =
        tweets.stream().mapToInt(t -> t.data().text().split(" ").length).average().orElse(0);
    assertThat(mean).isBetween(15.0, 22.0);
  }

  @Test
  void makesTweetsFromTheCallersLocationAndOwnerAndTimesSpreadBeforeAnEnd() {
    Instant end = Instant.parse("2026-12-01T00:00:00Z");
    EventGenerator generator =
        options(4).occurredAt(OccurredAt.spreadBefore(end, Duration.ofDays(30))).build();

    for (int i = 0; i < 200; i++) {
      TweetEvent tweet = generator.tweet("europe", 17);
      assertThat(tweet.data().location()).isEqualTo("europe");
      assertThat(tweet.data().ownerId()).isEqualTo(17);
      assertThat(tweet.occurredAt()).isBetween(end.minus(Duration.ofDays(30)), end);
    }
  }

  @Test
  void takesIdsFromASupplierOrAFunctionOfTheEventsNumber() {
    UUID fixed = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
    assertThat(options(1).ids(EventIds.from(() -> fixed)).build().next(3))
        .extracting(Event::id)
        .containsOnly(fixed);
    assertThat(options(1).ids((n, at) -> new UUID(0, n)).build().next(3))
        .extracting(Event::id)
        .containsExactly(new UUID(0, 0), new UUID(0, 1), new UUID(0, 2));
  }

  @Test
  void refusesOptionsOutOfRange() {
    EventGenerator.Builder options = EventGenerator.builder(1);
    assertThatThrownBy(() -> options.keys(0)).hasMessage("owners or users must be >= 1, was 0");
    assertThatThrownBy(() -> options.pool(-1)).hasMessage("pool must be >= 0, was -1");
    assertThatThrownBy(() -> options.tweetShare(1.5))
        .hasMessage("tweet share must be 0 to 1, was 1.5");
    assertThatThrownBy(() -> options.unlikedShare(Double.NaN))
        .hasMessage("unliked share must be 0 to 1, was NaN");
    assertThatThrownBy(() -> options.locations()).hasMessage("locations must name at least one");
    assertThatThrownBy(() -> options.locations("europe", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("location");
    assertThatThrownBy(() -> TweetTexts.lorem(5, 4))
        .hasMessage("words must be 1 <= min <= max, was 5..4");
    assertThatThrownBy(() -> OccurredAt.stepped(START, Duration.ZERO))
        .hasMessage("step must be positive, was PT0S");
  }

  private static List<UUID> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  private static Object withoutId(Event event) {
    return List.of(event.occurredAt(), event.shardKey(), event.type().values(event));
  }

  private static List<Object> withoutIds(List<Event> events) {
    return events.stream().map(EventGeneratorTest::withoutId).toList();
  }

  private static List<TweetEvent> tweets(EventGenerator generator, int count) {
    return Stream.generate(generator::tweet).limit(count).toList();
  }

  private static List<TweetEvent> tweets(List<Event> events) {
    return events.stream()
        .filter(TweetEvent.class::isInstance)
        .map(TweetEvent.class::cast)
        .toList();
  }

  private static List<FileEvent> files(List<Event> events) {
    return events.stream().filter(FileEvent.class::isInstance).map(FileEvent.class::cast).toList();
  }
}
