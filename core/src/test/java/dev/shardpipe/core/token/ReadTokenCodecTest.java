package dev.shardpipe.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadTokenCodecTest {

  private final ReadTokenCodec codec = new ReadTokenCodec("a-test-secret-of-some-length");

  @Test
  void decodesWhatItEncoded() throws Exception {
    ReadToken token = new ReadToken(Map.of(7, 123_456_789_012L, 0, 0L, 15, 42L));

    String text = codec.encode(token);

    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(codec.decode(text)).isEqualTo(token);
    assertThat(codec.decode(text).offsets().keySet()).containsExactly(0, 7, 15);
  }

  @Test
  void keepsATokenOfOnePartitionShort() {
    assertThat(codec.encode(ReadToken.of(3, 1_000_000))).hasSize(42);
  }

  @Test
  void mergingKeepsTheHighestOffsetPerPartition() {
    ReadToken merged = ReadToken.of(1, 10).merge(ReadToken.of(2, 5)).merge(ReadToken.of(1, 7));

    assertThat(merged.offsets()).containsExactly(Map.entry(1, 10L), Map.entry(2, 5L));
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    String foreign = new ReadTokenCodec("another-secret-of-some-length").encode(ReadToken.of(1, 2));

    assertThatThrownBy(() -> codec.decode(foreign))
        .isInstanceOf(InvalidReadTokenException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void refusesATokenWithAnAlteredOffset() {
    byte[] bytes = Base64.getUrlDecoder().decode(codec.encode(ReadToken.of(1, 2)));
    bytes[14] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(() -> codec.decode(altered))
        .isInstanceOf(InvalidReadTokenException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void refusesTextThatIsNoToken() {
    String valid = codec.encode(ReadToken.of(1, 2));
    for (String text :
        new String[] {
          "", "not a token", "AAAA", valid.substring(1), valid + "A", "x".repeat(70_000)
        }) {
      assertThatThrownBy(() -> codec.decode(text))
          .as("%s", text.length() > 50 ? text.substring(0, 50) : text)
          .isInstanceOf(InvalidReadTokenException.class);
    }
  }

  @Test
  void encodesTheMostPartitionsAToken() throws Exception {
    Map<Integer, Long> offsets = new HashMap<>();
    for (int p = 0; p < ReadTokenCodec.MAX_PARTITIONS; p++) {
      offsets.put(p, (long) p);
    }
    ReadToken token = new ReadToken(offsets);

    assertThat(codec.decode(codec.encode(token))).isEqualTo(token);
  }

  @Test
  void refusesNegativeOffsetsAndEmptyTokens() {
    assertThatThrownBy(() -> ReadToken.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReadToken(Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAShortSecretWithoutEchoingIt() {
    assertThatThrownBy(() -> new ReadTokenConfiguration("short-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shardpipe.read-token-secret must be at least 16 bytes long");
    assertThat(new ReadTokenConfiguration("long-enough-secret-123").toString())
        .doesNotContain("long-enough");
  }

  @Test
  void bindsTheSecretFromItsKeyAndKnowsTheDefault() {
    try (ApplicationContext context = ApplicationContext.run()) {
      assertThat(context.getBean(ReadTokenConfiguration.class).usesDefaultSecret()).isTrue();
    }
    try (ApplicationContext context =
        ApplicationContext.run(Map.of(ReadTokenConfiguration.KEY, "a-secret-for-this-test"))) {
      ReadTokenConfiguration config = context.getBean(ReadTokenConfiguration.class);
      assertThat(config.usesDefaultSecret()).isFalse();
      assertThat(config.readTokenSecret()).isEqualTo("a-secret-for-this-test");
    }
  }
}
