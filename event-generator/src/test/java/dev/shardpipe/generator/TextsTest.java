package dev.shardpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

  private static final String SMILE = "\uD83D\uDE00";

  @Test
  void keepsATextThatFits() {
    String text = "a".repeat(279) + SMILE;
    assertThat(Texts.cut(text, 280)).isSameAs(text);
  }

  @Test
  void countsASurrogatePairAsOneCharacter() {
    assertThat(Texts.length(SMILE.repeat(3))).isEqualTo(3);
    assertThat(Texts.length("")).isZero();
  }

  @Test
  void cutsAtACodePointAndNeverSplitsASurrogatePair() {
    String text = "a".repeat(279) + SMILE + SMILE + "tail";

    String cut = Texts.cut(text, 280);

    assertThat(cut).isEqualTo("a".repeat(279) + SMILE);
    assertThat(Texts.length(cut)).isEqualTo(280);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
  }

  @Test
  void cutsTextMadeOnlyOfSurrogatePairsToWholePairs() {
    String cut = Texts.cut(SMILE.repeat(300), 280);

    assertThat(cut).isEqualTo(SMILE.repeat(280));
  }

  @Test
  void cutsToNothingAtALimitOfZero() {
    assertThat(Texts.cut("abc", 0)).isEmpty();
  }
}
