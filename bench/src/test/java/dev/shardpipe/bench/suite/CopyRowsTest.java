package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.generator.EventGenerator;
import dev.shardpipe.store.ShardSchema;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

  private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

  private static String rows(long seed) {
    EventGenerator generator = CopyRows.generator(seed, 50, END);
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      CopyRows.tweet(rows, generator.tweet("europe", 1 + i % 7), i % 16);
      CopyRows.file(rows, generator.file(), i % 16);
    }
    return rows.toString();
  }

  @Test
  void givesTheSameRowsForTheSameSeedAndOthersForAnother() {
    assertThat(rows(4)).isEqualTo(rows(4)).isNotEqualTo(rows(5));
  }

  @Test
  void writesOneLineOfTheTablesColumnsPerRowInCopysOrder() {
    String[] lines = rows(4).split("\n", -1);
    int columns = ShardSchema.TWEETS.columnNames().size() - 1;

    assertThat(lines).hasSize(401);
    assertThat(lines[400]).isEmpty();
    for (int i = 0; i < 400; i++) {
      String[] row = lines[i].split("\t", -1);
      assertThat(row).as(lines[i]).hasSize(columns);
      assertThat(UUID.fromString(row[0]).version()).isEqualTo(4);
      assertThat(Instant.parse(row[5])).isBetween(END.minus(CopyRows.SPAN), END);
      assertThat(Integer.parseInt(row[6])).isEqualTo(i / 2 % 16);
    }
    assertThat(lines[0].split("\t")[1]).isEqualTo("europe");
    assertThat(lines[0].split("\t")[2]).isEqualTo("1");
    assertThat(Long.parseLong(lines[1].split("\t")[1])).isBetween(1L, 50L);
  }

  @Test
  void escapesWhatCopysTextFormatWouldReadAsSeparators() {
    TweetEvent tweet = TweetEvent.upsert(new UUID(0, 1), END, "eu\\rope", 3, "a\tb\nc\rd", 0);
    FileEvent file = FileEvent.upsert(new UUID(0, 2), END, 3, "dir\\x.txt", 1L, "text/plain");
    StringBuilder rows = new StringBuilder();

    CopyRows.tweet(rows, tweet, 5);
    CopyRows.file(rows, file, 5);

    assertThat(rows.toString())
        .isEqualTo(
            "00000000-0000-0000-0000-000000000001\teu\\\\rope\t3\ta\\tb\\nc\\rd\t0\t"
                + END
                + "\t5\n"
                + "00000000-0000-0000-0000-000000000002\t3\tdir\\\\x.txt\t1\ttext/plain\t"
                + END
                + "\t5\n");
  }
}
