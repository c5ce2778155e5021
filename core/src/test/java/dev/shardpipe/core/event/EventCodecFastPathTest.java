package dev.shardpipe.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EventCodec#decode} reads valid records on a fast path; these records, valid and not, must
 * come out exactly as the JSON tree and {@link EventReader} alone make them: the same event, or the
 * same error message.
 */
class EventCodecFastPathTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final EventCodec CODEC = new EventCodec(JSON);
  private static final String ID = "0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10";

  static Stream<String> records() {
    List<String> records = new ArrayList<>();
    for (String time :
        List.of(
            "2026-11-21T10:15:00Z",
            "2026-11-21T10:15:00.1Z",
            "2026-11-21T10:15:00.123456Z",
            "2026-11-21T10:15:00.123456789Z",
            "2026-11-21T10:15:00.1234567891Z",
            "2026-11-21T10:15:00.Z",
            "2026-11-21T11:15:00+01:00",
            "2026-11-21T04:45:00-05:30",
            "2026-11-21T10:15:00-00:00",
            "2026-11-21T10:15:00+19:00",
            "2026-11-21T10:15:00+01:60",
            "2026-11-21t10:15:00z",
            "2026-11-21T10:15Z",
            "2026-11-21T10:15:00",
            "2026-02-30T10:15:00Z",
            "2026-11-21T24:00:00Z",
            "2026-11-21T10:15:60Z",
            "0000-11-21T10:15:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "2026-11-21T10:15:00+01:00:30",
            "2026-1a-21T10:15:00Z",
            "")) {
      records.add(tweet("\"id\":\"" + ID + "\",\"occurred_at\":\"" + time + "\"", "upsert", "x"));
    }
    String envelope = "\"id\":\"" + ID + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\"";
    for (String data :
        List.of(
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hello\",\"like_count\":3}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hello\",\"like_count\":null}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"line\\nbreak \\u00e9 \\ud83c\\udf89\"}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":7}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"\"}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"a\\u0000b\"}",
            "{\"location\":\"europe\",\"owner_id\":42,\"text\":{\"nested\":[1,2]}}",
            "{\"location\":\"europe\",\"owner_id\":42}",
            "{\"location\":\"\",\"owner_id\":42,\"text\":\"x\"}",
            "{\"location\":null,\"owner_id\":42,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":-0,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":-1,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":1.0,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":1e2,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":9223372036854775807,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":9223372036854775808,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\",\"like_count\":2147483648}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\",\"extra\":{\"a\":[{}]}}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\",\"user_id\":-5}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\",\"text\":\"y\"}",
            "{\"location\":\"" + "l".repeat(65) + "\",\"owner_id\":1,\"text\":\"x\"}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"" + "🎉".repeat(280) + "\"}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"" + "🎉".repeat(281) + "\"}",
            "[]",
            "\"text\"",
            "null")) {
      records.add(tweet(envelope, "upsert", null).replace("\"data\":DATA", "\"data\":" + data));
      records.add(tweet(envelope, "delete", null).replace("\"data\":DATA", "\"data\":" + data));
    }
    for (String data :
        List.of(
            "{\"user_id\":42,\"file_name\":\"docs/report.pdf\",\"size_bytes\":18230,"
                + "\"content_type\":\"application/pdf\"}",
            "{\"user_id\":42,\"file_name\":\"a\",\"size_bytes\":null,\"content_type\":null}",
            "{\"user_id\":42}",
            "{\"user_id\":42,\"file_name\":5,\"content_type\":\"\"}",
            "{\"user_id\":42,\"file_name\":\"" + "f".repeat(1025) + "\"}",
            "{\"user_id\":42,\"file_name\":\"f\",\"size_bytes\":-3}",
            "{\"user_id\":42,\"file_name\":\"f\",\"location\":7}")) {
      for (String op : List.of("upsert", "delete")) {
        records.add(
            "{\"type\":\"file\",\"op\":\"" + op + "\"," + envelope + ",\"data\":" + data + "}");
      }
    }
    String tweetData = "{\"location\":\"usa\",\"owner_id\":7,\"text\":\"x\"}";
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData + "}");
    records.add("{\"type\":\"tweet\",\"op\":null," + envelope + ",\"data\":" + tweetData + "}");
    records.add(
        "{\"type\":\"tweet\",\"op\":\"merge\"," + envelope + ",\"data\":" + tweetData + "}");
    records.add("{\"type\":\"tweet\",\"op\":1," + envelope + ",\"data\":" + tweetData + "}");
    records.add("{\"type\":\"Tweet\"," + envelope + ",\"data\":" + tweetData + "}");
    records.add(
        "{\"type\":\"tweet\",\"type\":\"file\"," + envelope + ",\"data\":" + tweetData + "}");
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData + ",\"x\":[1,{}]}");
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData + "} trailing");
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData + "}{}");
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData + "}   \n");
    records.add("{\"type\":\"tweet\"," + envelope + ",\"data\":" + tweetData);
    records.add(
        "{\"type\":\"tweet\",\"id\":\""
            + ID.toUpperCase()
            + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\",\"data\":"
            + tweetData
            + "}");
    records.add(
        "{\"type\":\"tweet\",\"id\":\"1-2-3-4-5\",\"occurred_at\":\"2026-11-21T10:15:00Z\","
            + "\"data\":"
            + tweetData
            + "}");
    records.add("{\"type\":\"tweet\",\"id\":null,\"occurred_at\":null,\"data\":null}");
    records.add("{}");
    records.add("[1]");
    records.add("not json");
    records.add("");
    return records.stream();
  }

  private static String tweet(String envelope, String op, String text) {
    String data =
        text == null
            ? "DATA"
            : "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"" + text + "\"}";
    return "{\"type\":\"tweet\",\"op\":\"" + op + "\"," + envelope + ",\"data\":" + data + "}";
  }

  @ParameterizedTest
  @MethodSource("records")
  void decodesEveryRecordAsTheTreeReaderDoes(String record) {
    byte[] bytes = record.getBytes(UTF_8);
    assertThat(outcome(() -> CODEC.decode(bytes))).isEqualTo(outcome(() -> tree(bytes)));
  }

  private static Event tree(byte[] bytes) throws InvalidEventException {
    JsonNode root;
    try {
      root = JSON.readValue(bytes, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEventException(List.of(new Violation("", "is not valid JSON")));
    }
    return EventReader.readEnvelope(root);
  }

  /** A decoder's result: the event, or the error message. */
  private interface Decoder {
    Event decode() throws InvalidEventException;
  }

  private static Object outcome(Decoder decoder) {
    try {
      return Objects.requireNonNull(decoder.decode());
    } catch (InvalidEventException e) {
      return "invalid: " + e.getMessage();
    }
  }
}
