package dev.shardpipe.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataEventTest {

  private static final UUID ID = UUID.fromString("0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00.123456789Z");
  private static final Instant AT_MICROS = Instant.parse("2026-11-21T10:15:00.123456Z");

  private final EventCodec codec = new EventCodec(JsonMapper.createDefault());

  @Test
  void keepsTheFieldsTheOpReadsInWireOrderAsAnUnmodifiableCopy() {
    Map<String, Object> values = new HashMap<>();
    values.put("content_type", "text/plain");
    values.put("file_name", "a.txt");
    values.put("user_id", 7L);
    values.put("not_a_field", "ignored");

    DataEvent event = new DataEvent(EventKind.FILE, Op.UPSERT, ID, AT, values);
    values.put("size_bytes", 10L);

    assertThat(event.data().keySet()).containsExactly("user_id", "file_name", "content_type");
    assertThat(event.occurredAt()).isEqualTo(AT_MICROS);
    assertThatThrownBy(() -> event.data().put("size_bytes", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(
            new DataEvent(
                    EventKind.TWEET, Op.DELETE, ID, AT, tweet("europe", 42L, "a delete ignores me"))
                .data())
        .containsExactly(Map.entry("location", "europe"), Map.entry("owner_id", 42L));
  }

  @Test
  void refusesDataThatBreaksAFieldsRuleNamingTheFieldAsTheKindDoes() {
    assertThatThrownBy(
            () -> new DataEvent(EventKind.TWEET, Op.UPSERT, ID, AT, tweet("europe", 42L, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text: is required");
    assertThatThrownBy(
            () -> new DataEvent(EventKind.TWEET, Op.DELETE, ID, AT, Map.of("location", "europe")))
        .hasMessage("owner_id: is required");
    assertThatThrownBy(() -> new DataEvent(EventKind.FILE, Op.DELETE, ID, AT, Map.of("user_id", 7)))
        .hasMessage("user_id: must be a Long, was Integer");
    assertThatThrownBy(
            () -> new DataEvent(EventKind.TWEET, Op.UPSERT, ID, AT, tweet("", 42L, "hello")))
        .hasMessage("location: must not be empty");
    assertThatThrownBy(
            () ->
                new DataEvent(
                    EventKind.TWEET,
                    Op.UPSERT,
                    ID,
                    AT,
                    Map.of(
                        "location",
                        "europe",
                        "owner_id",
                        42L,
                        "text",
                        "hi",
                        "like_count",
                        Integer.MAX_VALUE + 1L)))
        .hasMessage("like_count: must be at most 2147483647, was 2147483648");
    assertThatThrownBy(
            () -> new DataEvent(EventKind.FILE, Op.DELETE, ID, AT, Map.of("user_id", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("user_id: ");
    assertThatThrownBy(() -> new DataEvent(null, Op.DELETE, ID, AT, Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void joinsItsKindsKeyFieldsIntoTheShardKeyTheTypedEventCarries() {
    DataEvent tweet = new DataEvent(EventKind.TWEET, Op.DELETE, ID, AT, tweet("europe", 42L, null));
    DataEvent file = new DataEvent(EventKind.FILE, Op.DELETE, ID, AT, Map.of("user_id", 7L));

    assertThat(tweet.shardKey())
        .isEqualTo("europe/42")
        .isEqualTo(TweetEvent.delete(ID, AT, "europe", 42).shardKey());
    assertThat(file.shardKey()).isEqualTo("7").isEqualTo(FileEvent.delete(ID, AT, 7).shardKey());
  }

  @Test
  void givesTheValuesOfTheTypedEventOfTheSameContentDefaultsIncluded() {
    for (Event typed : typedEvents()) {
      EventKind kind = typed.type();
      DataEvent data = asData(typed);

      assertThat(kind.values(data)).isEqualTo(kind.values(typed));
    }
    DataEvent withoutLikes =
        new DataEvent(EventKind.TWEET, Op.UPSERT, ID, AT, tweet("europe", 42L, "hello"));
    assertThat(EventKind.TWEET.values(withoutLikes))
        .containsExactly(
            Map.entry("location", "europe"),
            Map.entry("owner_id", 42L),
            Map.entry("text", "hello"),
            Map.entry("like_count", 0L));
    assertThatThrownBy(() -> EventKind.FILE.values(withoutLikes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tweet is not a FILE");
  }

  @Test
  void encodesByteForByteAsTheTypedEventAndDecodesToIt() throws InvalidEventException {
    for (Event typed : typedEvents()) {
      DataEvent data = asData(typed);

      byte[] encoded = codec.encode(data);

      assertThat(encoded).isEqualTo(codec.encode(typed));
      assertThat(codec.decode(encoded)).isEqualTo(typed);
      assertThat(codec.decode(encoded).shardKey()).isEqualTo(data.shardKey());
    }
    DataEvent withoutLikes =
        new DataEvent(EventKind.TWEET, Op.UPSERT, ID, AT, tweet("europe", 42L, "hello"));
    assertThat(codec.encode(withoutLikes))
        .isEqualTo(codec.encode(TweetEvent.upsert(ID, AT, "europe", 42, "hello", 0)));
  }

  private static List<Event> typedEvents() {
    return List.of(
        TweetEvent.upsert(ID, AT, "europe", 42, "hello", 3),
        TweetEvent.upsert(ID, AT, "usa", 7, "no likes yet", 0),
        TweetEvent.delete(ID, AT, "usa", 7),
        FileEvent.upsert(ID, AT, 7, "docs/report.pdf", 18230L, "application/pdf"),
        FileEvent.upsert(ID, AT, 7, "a.txt", null, null),
        FileEvent.delete(ID, AT, 123456));
  }

  private static DataEvent asData(Event typed) {
    return new DataEvent(
        typed.type(), typed.op(), typed.id(), typed.occurredAt(), typed.type().values(typed));
  }

  private static Map<String, Object> tweet(String location, long ownerId, @Nullable String text) {
    Map<String, Object> values = new HashMap<>();
    values.put("location", location);
    values.put("owner_id", ownerId);
    if (text != null) {
      values.put("text", text);
    }
    return values;
  }
}
