package dev.shardpipe.shardctl.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.EventKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both forms of {@code shardctl status} have a rows column, or field, per event kind's table. */
class StatusOutputTest {

  private static StatusReport report() {
    Map<EventKind, Long> readable = new EnumMap<>(EventKind.class);
    readable.put(EventKind.TWEET, 3L);
    readable.put(EventKind.FILE, 0L);
    Map<EventKind, Long> unreadable = new EnumMap<>(EventKind.class);
    unreadable.put(EventKind.TWEET, null);
    unreadable.put(EventKind.FILE, null);
    return new StatusReport(
        7,
        4,
        List.of(
            new ShardStatus(
                "eu", "jdbc:postgresql://a/eu", "europe", "active", List.of(0, 1), readable),
            new ShardStatus(
                "us", "jdbc:postgresql://a/us", null, "draining", List.of(2, 3), unreadable)),
        Map.of(0, "eu", 1, "eu", 2, "us", 3, "us"),
        List.of());
  }

  @Test
  void textHasOneRightAlignedColumnPerKindsTableAsWideAsItsName() {
    StringWriter text = new StringWriter();

    StatusText.write(report(), Instant.EPOCH, new PrintWriter(text));

    assertThat(text.toString().lines())
        .containsExactly(
            "catalog version 7, 4 partitions",
            "SHARD        REGION     STATE     PARTITIONS                   TWEETS  FILE_METADATA  URL",
            "eu           europe     active    0-1                               3              0  jdbc:postgresql://a/eu",
            "us           -          draining  2-3                               -              -  jdbc:postgresql://a/us",
            "no moves yet");
  }

  @Test
  void jsonHasTheRowsOfEachKindsTableByTableNameAndNullWhenUnread() throws IOException {
    StringWriter json = new StringWriter();

    StatusJson.write(report(), json);

    assertThat(json.toString())
        .contains("\"rows\":{\"tweets\":3,\"file_metadata\":0}")
        .contains("\"rows\":{\"tweets\":null,\"file_metadata\":null}");
  }
}
