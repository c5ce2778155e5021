package dev.shardpipe.loadgen.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A lookup names the row's collection, its id and every field of its shard key. */
class VisibilityCheckTest {

  private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00Z");

  @Test
  void looksATweetUpByItsLocationAndOwnerEncoded() {
    Event tweet = TweetEvent.upsert(ID, AT, "south america", 42, "hi", 0);

    assertThat(VisibilityCheck.path(tweet))
        .isEqualTo("/tweets/" + ID + "?location=south+america&owner_id=42");
  }

  @Test
  void looksAFileUpByItsUser() {
    Event file = FileEvent.upsert(ID, AT, 7, "a.txt", null, null);

    assertThat(VisibilityCheck.path(file)).isEqualTo("/files/" + ID + "?user_id=7");
  }
}
