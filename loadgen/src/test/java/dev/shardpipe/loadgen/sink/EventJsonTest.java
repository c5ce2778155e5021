package dev.shardpipe.loadgen.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.DataEvent;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00.123456789Z");

  @Test
  void writesATweetWithItsIdAndTimeSoARetryChangesNothing() throws Exception {
    UUID id = UUID.randomUUID();
    Event tweet = TweetEvent.upsert(id, AT, "europe", 42, "say \"hi\" \uD83D\uDE00", 3);

    JsonNode json = JSON.readValue(EventJson.single(tweet), JsonNode.class);

    assertThat(json.get("id").getStringValue()).isEqualTo(id.toString());
    assertThat(json.get("occurred_at").getStringValue()).isEqualTo(tweet.occurredAt().toString());
    assertThat(json.get("location").getStringValue()).isEqualTo("europe");
    assertThat(json.get("owner_id").getLongValue()).isEqualTo(42);
    assertThat(json.get("text").getStringValue()).isEqualTo("say \"hi\" \uD83D\uDE00");
    assertThat(json.get("like_count").getIntValue()).isEqualTo(3);
  }

  @Test
  void writesABatchAsAnArrayAndLeavesOutAbsentOptionalFields() throws Exception {
    Event full = FileEvent.upsert(UUID.randomUUID(), AT, 7, "a/b.pdf", 10L, "application/pdf");
    Event bare = FileEvent.upsert(UUID.randomUUID(), AT, 8, "c.bin", null, null);

    JsonNode json = JSON.readValue(EventJson.array(List.of(full, bare)), JsonNode.class);

    assertThat(json.isArray()).isTrue();
    assertThat(json.size()).isEqualTo(2);
    assertThat(json.get(0).get("size_bytes").getLongValue()).isEqualTo(10);
    assertThat(json.get(0).get("content_type").getStringValue()).isEqualTo("application/pdf");
    assertThat(json.get(1).get("user_id").getLongValue()).isEqualTo(8);
    assertThat(json.get(1).get("size_bytes")).isNull();
    assertThat(json.get(1).get("content_type")).isNull();
  }

  @Test
  void writesATweetsFieldsInWireOrder() {
    UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
    Event tweet = TweetEvent.upsert(id, AT, "europe", 42, "hi", 3);

    assertThat(new String(EventJson.single(tweet), UTF_8))
        .isEqualTo(
            "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\","
                + "\"occurred_at\":\"2026-11-21T10:15:00.123456Z\","
                + "\"location\":\"europe\",\"owner_id\":42,\"text\":\"hi\",\"like_count\":3}");
  }

  @Test
  void writesAFileAsADataEventExactlyAsTheTypedEventWithTheSameContent() {
    UUID id = UUID.randomUUID();
    Event typed = FileEvent.upsert(id, AT, 7, "a/b.pdf", null, "application/pdf");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("content_type", "application/pdf");
    data.put("user_id", 7L);
    data.put("file_name", "a/b.pdf");
    Event untyped = new DataEvent(EventKind.FILE, Op.UPSERT, id, AT, data);

    assertThat(new String(EventJson.array(List.of(untyped)), UTF_8))
        .isEqualTo(new String(EventJson.array(List.of(typed)), UTF_8));
  }

  @Test
  void readsThePartitionAndOffsetOfASingleEventsAnswer() throws Exception {
    byte[] body =
        "{\"id\":\"x\",\"partition\":3,\"offset\":17,\"shard\":\"eu\",\"token\":\"t3\"}"
            .getBytes(UTF_8);

    assertThat(HttpSink.acks(body, 1)).containsExactly(new Ack(3, 17, "t3"));
  }

  @Test
  void readsOneAckPerEventOfABatchAnswerInOrder() throws Exception {
    byte[] body =
        ("{\"accepted\":2,\"results\":["
                + "{\"id\":\"a\",\"partition\":9,\"offset\":100,\"shard\":\"us\",\"token\":\"ta\"},"
                + "{\"id\":\"b\",\"partition\":1,\"offset\":5,\"shard\":\"eu\",\"token\":\"tb\"}],"
                + "\"token\":\"batch\"}")
            .getBytes(UTF_8);

    assertThat(HttpSink.acks(body, 2)).containsExactly(new Ack(9, 100, "ta"), new Ack(1, 5, "tb"));
  }

  @Test
  void readsAnAnswerWhateverTheOrderOfItsFields() throws Exception {
    byte[] body =
        ("{\"results\":[{\"offset\":100,\"shard\":\"us\",\"partition\":9},"
                + "{\"partition\":1,\"id\":\"b\",\"offset\":5}],\"accepted\":2}")
            .getBytes(UTF_8);

    assertThat(HttpSink.acks(body, 2)).containsExactly(new Ack(9, 100, null), new Ack(1, 5, null));
  }

  @Test
  void refusesAnAnswerThatNamesAnotherNumberOfEvents() {
    byte[] body = "{\"accepted\":1,\"results\":[{\"partition\":1,\"offset\":5}]}".getBytes(UTF_8);

    assertThatThrownBy(() -> HttpSink.acks(body, 2))
        .isInstanceOf(IOException.class)
        .hasMessage("the 202 names 1 events, the request had 2");
  }
}
