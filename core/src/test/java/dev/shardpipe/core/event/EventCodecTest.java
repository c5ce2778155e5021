package dev.shardpipe.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

  private static final UUID ID = UUID.fromString("0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00Z");

  private final EventCodec codec = new EventCodec(JsonMapper.createDefault());

  @Test
  void encodesATweetAsTheSpecEnvelope() {
    TweetEvent tweet = TweetEvent.upsert(ID, AT, "europe", 42, "hello", 0);
    assertThat(new String(codec.encode(tweet), UTF_8))
        .isEqualTo(
            "{\"type\":\"tweet\",\"op\":\"upsert\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
                + "\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"location\":\"europe\","
                + "\"owner_id\":42,\"text\":\"hello\",\"like_count\":0}}");
  }

  @Test
  void encodesADeleteWithOnlyItsShardKeyFields() {
    assertThat(new String(codec.encode(FileEvent.delete(ID, AT, 42)), UTF_8))
        .isEqualTo(
            "{\"type\":\"file\",\"op\":\"delete\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
                + "\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"user_id\":42}}");
  }

  @Test
  void decodesTheSpecExamples() throws InvalidEventException {
    Event tweet =
        decode(
            "{\"type\": \"tweet\", \"op\": \"upsert\", \"id\": \""
                + ID
                + "\", \"occurred_at\":"
                + " \"2026-11-21T10:15:00Z\", \"data\": {\"location\": \"europe\", \"owner_id\":"
                + " 42, \"text\": \"hello\", \"like_count\": 0}}");
    assertThat(tweet).isEqualTo(TweetEvent.upsert(ID, AT, "europe", 42, "hello", 0));
    assertThat(tweet.shardKey()).isEqualTo("europe/42");

    Event file =
        decode(
            "{\"type\": \"file\", \"op\": \"upsert\", \"id\": \""
                + ID
                + "\", \"occurred_at\":"
                + " \"2026-11-21T10:15:01Z\", \"data\": {\"user_id\": 42, \"file_name\":"
                + " \"docs/report.pdf\", \"size_bytes\": 18230, \"content_type\":"
                + " \"application/pdf\"}}");
    assertThat(file)
        .isEqualTo(
            FileEvent.upsert(
                ID, AT.plusSeconds(1), 42, "docs/report.pdf", 18230L, "application/pdf"));
    assertThat(file.shardKey()).isEqualTo("42");
  }

  @Test
  void roundTripsEveryKindOfEvent() throws InvalidEventException {
    for (Event event :
        new Event[] {
          TweetEvent.upsert(ID, AT, "usa", 7, "snow ☃ and 🎉", 3),
          TweetEvent.delete(ID, AT, "asia", 0),
          FileEvent.upsert(ID, AT, 9, "a/b.txt", null, null),
          FileEvent.upsert(ID, AT, 9, "a/b.txt", 0L, "text/plain"),
          FileEvent.delete(ID, AT, Long.MAX_VALUE),
        }) {
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
  }

  @Test
  void defaultsOpToUpsertAndLikeCountToZero() throws InvalidEventException {
    Event event =
        decode(
            "{\"type\":\"tweet\",\"id\":\""
                + ID
                + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\","
                + "\"data\":{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\"}}");
    assertThat(event).isEqualTo(TweetEvent.upsert(ID, AT, "europe", 1, "x", 0));
  }

  @Test
  void truncatesOccurredAtToMicrosecondsAndAcceptsOffsetsAndLowerCase()
      throws InvalidEventException {
    Event event =
        decode(
            "{\"type\":\"file\",\"id\":\""
                + ID
                + "\",\"occurred_at\":"
                + "\"2026-11-21t11:15:00.123456789+01:00\",\"data\":{\"user_id\":1,"
                + "\"file_name\":\"f\"}}");
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-21T10:15:00.123456Z"));
  }

  @Test
  void countsTextLengthInCharactersNotUtf16Units() throws InvalidEventException {
    String twoHundredEightyEmoji = "🎉".repeat(280);
    assertThat(decodeTweetText(twoHundredEightyEmoji)).isNotNull();
    assertThatThrownBy(() -> decodeTweetText(twoHundredEightyEmoji + "🎉"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("data.text: must be at most 280 characters, was 281");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON | {\"type\": | is not valid JSON",
        "an array | [1,2] | must be a JSON object",
        "empty object | {} | type: is required; id: is required; occurred_at: is required;"
            + " data: is required",
        "unknown type | {\"type\":\"video\",\"id\":\""
            + "0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10"
            + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{}} | type: must be \"tweet\""
            + " or \"file\"",
        "unknown op | {\"type\":\"file\",\"op\":\"merge\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-"
            + "2f7a3c8b9e10\",\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"user_id\":1,"
            + "\"file_name\":\"f\"}} | op: must be \"upsert\" or \"delete\"",
        "short uuid | {\"type\":\"file\",\"id\":\"1-2-3-4-5\",\"occurred_at\":"
            + "\"2026-11-21T10:15:00Z\",\"data\":{\"user_id\":1,\"file_name\":\"f\"}} | id: must"
            + " be a UUID such as 0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10",
        "no offset | {\"type\":\"file\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
            + "\"occurred_at\":\"2026-11-21T10:15:00\",\"data\":{\"user_id\":1,\"file_name\":"
            + "\"f\"}} | occurred_at: must be an RFC 3339 date-time with an offset, such as"
            + " 2026-11-21T10:15:00Z",
        "tweet fields | {\"type\":\"tweet\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
            + "\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"location\":\"\",\"owner_id\""
            + ":-1,\"text\":7,\"like_count\":1.5}} | data.location: must not be empty;"
            + " data.owner_id: must be >= 0, was -1; data.text: must be a string;"
            + " data.like_count: must be an integer",
        "huge ids | {\"type\":\"file\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
            + "\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"user_id\":"
            + "9223372036854775808,\"file_name\":\"a\\u0000b\"}} | data.user_id: must be at most"
            + " 9223372036854775807; data.file_name: must not contain NUL (U+0000)",
        "upsert without text | {\"type\":\"tweet\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-"
            + "2f7a3c8b9e10\",\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":{\"location\":"
            + "\"usa\",\"owner_id\":1}} | data.text: is required",
        "data not an object | {\"type\":\"tweet\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10"
            + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":\"x\"} | data: must be a JSON"
            + " object",
      })
  void rejectsInvalidRecordsListingEveryViolation(String name, String json, String message) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsAKafkaTombstoneRecord() {
    assertThatThrownBy(() -> codec.decode(null))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("record has no value (a Kafka tombstone is not an event)");
  }

  @Test
  void acceptsADeleteWithoutTextOrFileName() throws InvalidEventException {
    Event event =
        decode(
            "{\"type\":\"tweet\",\"op\":\"delete\",\"id\":\""
                + ID
                + "\",\"occurred_at\":"
                + "\"2026-11-21T10:15:00Z\",\"data\":{\"location\":\"usa\",\"owner_id\":1}}");
    assertThat(event).isEqualTo(TweetEvent.delete(ID, AT, "usa", 1));
  }

  private Event decodeTweetText(String text) throws InvalidEventException {
    return decode(
        "{\"type\":\"tweet\",\"id\":\""
            + ID
            + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\","
            + "\"data\":{\"location\":\"europe\",\"owner_id\":1,\"text\":\""
            + text
            + "\"}}");
  }

  private Event decode(String json) throws InvalidEventException {
    return codec.decode(json.getBytes(UTF_8));
  }
}
