package dev.shardpipe.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardKeyTest {

  @Test
  void formatsTweetAndFileKeysAsSpecThreeSays() {
    assertThat(ShardKey.ofTweet("europe", 42)).isEqualTo("europe/42");
    assertThat(ShardKey.ofFile(42)).isEqualTo("42");
  }

  @Test
  void parsesTweetAndFileKeys() {
    assertThat(ShardKey.parse("europe/42")).isEqualTo(new ShardKey("europe", 42));
    assertThat(ShardKey.parse("a/b/7")).isEqualTo(new ShardKey("a/b", 7));
    assertThat(ShardKey.parse("42")).isEqualTo(new ShardKey(null, 42));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "europe/ | record key \"europe/\" does not end in a canonical decimal id >= 0: expected"
            + " <location>/<owner_id> or <user_id>",
        "europe/-1 | record key \"europe/-1\" does not end in a canonical decimal id >= 0:"
            + " expected <location>/<owner_id> or <user_id>",
        "007 | record key \"007\" does not end in a canonical decimal id >= 0: expected"
            + " <location>/<owner_id> or <user_id>",
        "/42 | record key \"/42\" has an empty location before the slash",
      })
  void rejectsKeysThatAreNotShardKeys(String key, String message) {
    assertThatIllegalArgumentException().isThrownBy(() -> ShardKey.parse(key)).withMessage(message);
  }

  @Test
  void rejectsAMissingKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShardKey.parse(null))
        .withMessage("record key is missing: expected <location>/<owner_id> or <user_id>");
  }
}
