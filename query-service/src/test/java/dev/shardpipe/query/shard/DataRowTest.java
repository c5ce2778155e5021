package dev.shardpipe.query.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.EventKind;
import io.micronaut.serde.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataRowTest {

  private static final UUID ID = UUID.fromString("01a1fdb7-76d4-798d-9b93-9c210ddf7705");
  private static final Instant OCCURRED = Instant.parse("2026-11-21T10:47:01.576008Z");
  private static final Instant INGESTED = Instant.parse("2026-11-21T10:47:02Z");

  private static ObjectMapper.CloseableObjectMapper json;

  @BeforeAll
  static void mapper() {
    // The serde beans and the row's serializer only, not the service's other beans: the
    // "packages" are prefixes of bean definition class names.
    json = ObjectMapper.create(Map.of(), DataRow.class.getPackageName() + ".$DataRow");
  }

  @AfterAll
  static void close() throws Exception {
    json.close();
  }

  @Test
  void writesATweetAsTheTypedRowDoes() throws Exception {
    String text = "Howdy \"from\" Austin \\ ü 🐦\n";
    TweetRow typed = new TweetRow(ID, "usa", 7L, text, 3, OCCURRED, 11, "us", INGESTED);
    DataRow generic =
        new DataRow(
            EventKind.TWEET, ID, List.of("usa", 7L, text, 3L), OCCURRED, 11, "us", INGESTED);

    assertThat(json.writeValueAsString(generic)).isEqualTo(json.writeValueAsString(typed));
    assertThat(json.writeValueAsString(generic))
        .startsWith("{\"id\":\"01a1fdb7-76d4-798d-9b93-9c210ddf7705\",\"location\":\"usa\"")
        .contains("\"occurred_at\":\"2026-11-21T10:47:01.576008Z\"")
        .endsWith("\"partition\":11,\"shard\":\"us\",\"ingested_at\":\"2026-11-21T10:47:02Z\"}");
  }

  @Test
  void writesAFileWithUnknownSizeAndTypeAsNullAsTheTypedRowDoes() throws Exception {
    FileRow typed =
        new FileRow(ID, Long.MAX_VALUE, "a/b.txt", null, null, OCCURRED, 0, "eu", INGESTED);
    DataRow generic =
        new DataRow(
            EventKind.FILE,
            ID,
            Arrays.asList(Long.MAX_VALUE, "a/b.txt", null, null),
            OCCURRED,
            0,
            "eu",
            INGESTED);

    assertThat(json.writeValueAsString(generic))
        .isEqualTo(json.writeValueAsString(typed))
        .contains("\"size_bytes\":null,\"content_type\":null");
    FileRow known = new FileRow(ID, 1L, "x", 12L, "text/plain", OCCURRED, 0, "eu", INGESTED);
    assertThat(
            json.writeValueAsString(
                new DataRow(
                    EventKind.FILE,
                    ID,
                    List.of(1L, "x", 12L, "text/plain"),
                    OCCURRED,
                    0,
                    "eu",
                    INGESTED)))
        .isEqualTo(json.writeValueAsString(known));
  }

  @Test
  void refusesValuesThatDoNotFitTheKindsFields() {
    assertThatThrownBy(
            () -> new DataRow(EventKind.FILE, ID, List.of(1L), OCCURRED, 0, "eu", INGESTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FILE has 4 fields, got 1 values");
    assertThatThrownBy(
            () ->
                new DataRow(
                    EventKind.FILE,
                    ID,
                    List.of("1", "x", 12L, "text/plain"),
                    OCCURRED,
                    0,
                    "eu",
                    INGESTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user_id must be a Long, was 1");
  }

  @Test
  void readsAFieldByName() {
    DataRow row =
        new DataRow(
            EventKind.FILE, ID, Arrays.asList(5L, "x", null, null), OCCURRED, 0, "eu", INGESTED);
    assertThat(row.value("user_id")).isEqualTo(5L);
    assertThat(row.value("size_bytes")).isNull();
    assertThatThrownBy(() -> row.value("owner_id")).hasMessage("FILE has no field owner_id");
  }
}
