package dev.shardpipe.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventReaderTest {

  private static final UUID GENERATED = UUID.fromString("0192f1c4-0000-7000-8000-000000000001");
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private final JsonMapper json = JsonMapper.createDefault();

  @Test
  void fillsInIdAndOccurredAtWhenTheRequestHasNone() throws Exception {
    TweetEvent tweet =
        EventReader.readTweet(
            body("{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hi\"}"),
            Op.UPSERT,
            () -> GENERATED,
            NOW);
    assertThat(tweet).isEqualTo(TweetEvent.upsert(GENERATED, NOW, "europe", 42, "hi", 0));
  }

  @Test
  void keepsTheClientsIdAndOccurredAt() throws Exception {
    FileEvent file =
        EventReader.readFile(
            body(
                "{\"user_id\":7,\"file_name\":\"a.txt\",\"size_bytes\":10,"
                    + "\"content_type\":\"text/plain\",\"id\":\"0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10\","
                    + "\"occurred_at\":\"2026-01-01T00:00:00Z\"}"),
            Op.UPSERT,
            () -> GENERATED,
            NOW);
    assertThat(file)
        .isEqualTo(
            FileEvent.upsert(
                UUID.fromString("0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10"),
                Instant.parse("2026-01-01T00:00:00Z"),
                7,
                "a.txt",
                10L,
                "text/plain"));
  }

  @Test
  void namesRequestFieldsWithoutTheDataPrefix() {
    assertThatThrownBy(
            () ->
                EventReader.readFile(
                    body("{\"user_id\":\"7\",\"size_bytes\":-3}"), Op.UPSERT, () -> GENERATED, NOW))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(
                        new Violation("user_id", "must be an integer"),
                        new Violation("file_name", "is required"),
                        new Violation("size_bytes", "must be >= 0, was -3")));
  }

  @Test
  void rejectsAnOwnerIdWrittenAsADecimalFraction() {
    assertThatThrownBy(
            () ->
                EventReader.readTweet(
                    body("{\"location\":\"usa\",\"owner_id\":4.0,\"text\":\"x\"}"),
                    Op.UPSERT,
                    () -> GENERATED,
                    NOW))
        .hasMessage("owner_id: must be an integer");
  }

  @Test
  void rejectsALikeCountBeyondAnInt() {
    assertThatThrownBy(
            () ->
                EventReader.readTweet(
                    body(
                        "{\"location\":\"usa\",\"owner_id\":4,\"text\":\"x\","
                            + "\"like_count\":2147483648}"),
                    Op.UPSERT,
                    () -> GENERATED,
                    NOW))
        .hasMessage("like_count: must be at most 2147483647, was 2147483648");
  }

  private JsonNode body(String text) throws IOException {
    return json.readValue(text.getBytes(UTF_8), JsonNode.class);
  }
}
