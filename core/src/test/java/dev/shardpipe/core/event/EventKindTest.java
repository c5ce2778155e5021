package dev.shardpipe.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventKindTest {

  private static final UUID ID = UUID.fromString("0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00Z");

  private static final List<Event> EVENTS =
      List.of(
          TweetEvent.upsert(ID, AT, "europe", 42, "hello", 3),
          TweetEvent.delete(ID, AT, "usa", 7),
          FileEvent.upsert(ID, AT, 7, "docs/report.pdf", 18230L, "application/pdf"),
          FileEvent.upsert(ID, AT, 7, "a.txt", null, null),
          FileEvent.delete(ID, AT, 123456));

  @Test
  void rebuildsEveryEventFromItsKindsValues() {
    for (Event event : EVENTS) {
      EventKind kind = event.type();
      assertThat(kind.event(event.op(), ID, AT, kind.values(event))).isEqualTo(event);
    }
  }

  @Test
  void joinsTheKeyFieldsIntoTheRecordKeyEveryEventCarries() {
    for (Event event : EVENTS) {
      assertThat(event.type().shardKey(event.type().values(event))).isEqualTo(event.shardKey());
    }
    assertThat(EventKind.TWEET.keyFields())
        .extracting(EventField::name)
        .containsExactly("location", "owner_id");
    assertThat(EventKind.FILE.keyFields()).extracting(EventField::name).containsExactly("user_id");
  }

  @Test
  void namesTheWireNameCollectionAndTableOfEachKind() {
    assertThat(EventKind.fromWireName("tweet")).isEqualTo(EventKind.TWEET);
    assertThat(EventKind.fromWireName("photo")).isNull();
    assertThat(EventKind.wireNames()).isEqualTo("\"tweet\" or \"file\"");
    assertThat(EventKind.TWEET.collection()).isEqualTo("tweets");
    assertThat(EventKind.FILE.collection()).isEqualTo("files");
    assertThat(EventKind.FILE.table()).isEqualTo("file_metadata");
    assertThat(EventKind.TWEET.tombstoneTable()).isEqualTo("tweet_tombstones");
    assertThat(EventKind.FILE.tombstoneTable()).isEqualTo("file_metadata_tombstones");
    assertThat(EventKind.FILE.wireName()).isEqualTo("file");
  }

  @Test
  void refusesValuesThatBreakAFieldsRuleNamingTheField() {
    assertThatThrownBy(
            () -> EventKind.TWEET.event(Op.UPSERT, ID, AT, Map.of("location", "x", "owner_id", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text: is required");
    assertThatThrownBy(
            () ->
                EventKind.FILE.event(Op.DELETE, ID, AT, Map.of("user_id", 1L, "content_type", "")))
        .hasMessage("content_type: must not be empty");
    assertThat(
            EventKind.TWEET.event(
                Op.DELETE, ID, AT, Map.of("location", "x", "owner_id", 1L, "text", "ignored")))
        .isEqualTo(TweetEvent.delete(ID, AT, "x", 1));
  }
}
