package dev.shardpipe.query.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

  private static final CursorCodec CODEC = new CursorCodec("a test secret of some length");
  private static final Keyset POSITION =
      new Keyset(
          Instant.parse("2026-11-21T10:15:00.123456Z"),
          UUID.fromString("f192f1c4-0000-7000-8000-00000000abcd"));

  private static CursorScope europe() {
    return CursorScope.of("tweets").with("owner_id", null).with("location", "europe");
  }

  @Test
  void decodesWhatItEncodedForTheSameScope() throws Exception {
    String cursor = CODEC.encode(europe(), POSITION);
    assertThat(CODEC.decode(europe(), cursor)).isEqualTo(POSITION);
  }

  @Test
  void writesAnOpaqueUrlSafeCursor() {
    String cursor = CODEC.encode(europe(), POSITION);
    assertThat(cursor).matches("[A-Za-z0-9_-]+").doesNotContain("europe", "2026");
  }

  @Test
  void keepsMicrosecondsAndTheTopBitOfTheId() throws Exception {
    Keyset early =
        new Keyset(
            Instant.parse("1970-01-01T00:00:00.000001Z"),
            UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    assertThat(CODEC.decode(europe(), CODEC.encode(europe(), early))).isEqualTo(early);
  }

  @Test
  void acceptsACursorFromAnotherInstanceWithTheSameSecret() throws Exception {
    String cursor = CODEC.encode(europe(), POSITION);
    assertThat(new CursorCodec("a test secret of some length").decode(europe(), cursor))
        .isEqualTo(POSITION);
  }

  @Test
  void rejectsACursorSignedWithAnotherSecret() {
    String cursor = new CursorCodec("another secret, also long").encode(europe(), POSITION);
    assertThatThrownBy(() -> CODEC.decode(europe(), cursor))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessage("was issued for another query (other filters or endpoint) or was altered");
  }

  @Test
  void rejectsEveryCursorWithOneByteChanged() {
    byte[] bytes = Base64.getUrlDecoder().decode(CODEC.encode(europe(), POSITION));
    for (int i = 1; i < bytes.length; i++) {
      byte[] tampered = bytes.clone();
      tampered[i] ^= 0x01;
      String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      assertThatThrownBy(() -> CODEC.decode(europe(), cursor))
          .as("byte %d changed", i)
          .isInstanceOf(InvalidCursorException.class)
          .hasMessageContaining("altered");
    }
  }

  @Test
  void rejectsACursorOfAnotherFilterValue() {
    String cursor = CODEC.encode(europe(), POSITION);
    CursorScope usa = CursorScope.of("tweets").with("owner_id", null).with("location", "usa");
    assertThatThrownBy(() -> CODEC.decode(usa, cursor))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("another query");
  }

  @Test
  void rejectsACursorOfAnotherEndpointOrOfAFilterNowAbsent() {
    String cursor = CODEC.encode(CursorScope.of("files").with("user_id", 42), POSITION);
    assertThatThrownBy(() -> CODEC.decode(CursorScope.of("tweets").with("owner_id", 42), cursor))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> CODEC.decode(CursorScope.of("files").with("user_id", null), cursor))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void tellsAnAbsentFilterFromAnEmptyOrLiteralNullOne() {
    String absent = CODEC.encode(CursorScope.of("tweets").with("location", null), POSITION);
    assertThatThrownBy(
            () -> CODEC.decode(CursorScope.of("tweets").with("location", "null"), absent))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> CODEC.decode(CursorScope.of("tweets").with("location", ""), absent))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void doesNotLetFilterValuesShiftIntoEachOther() {
    String cursor = CODEC.encode(CursorScope.of("tweets").with("a", "x").with("b", "yz"), POSITION);
    assertThatThrownBy(
            () -> CODEC.decode(CursorScope.of("tweets").with("a", "xy").with("b", "z"), cursor))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void rejectsMalformedCursors() {
    String valid = CODEC.encode(europe(), POSITION);
    for (String cursor :
        new String[] {
          "not a cursor!", "abc", valid.substring(1), valid + "AA", "x".repeat(10_000), "=="
        }) {
      assertThatThrownBy(() -> CODEC.decode(europe(), cursor))
          .as(cursor)
          .isInstanceOf(InvalidCursorException.class)
          .hasMessage("is not a valid cursor; pass the next_cursor of the previous page unchanged");
    }
  }

  @Test
  void rejectsAnUnknownVersion() {
    byte[] bytes = Base64.getUrlDecoder().decode(CODEC.encode(europe(), POSITION));
    bytes[0] = 2;
    String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThatThrownBy(() -> CODEC.decode(europe(), cursor))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageStartingWith("is not a valid cursor");
  }
}
