package dev.shardpipe.loadgen.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionChoiceTest {

  @Test
  void parsesRoutedRandomAndAPartitionNumber() {
    assertThat(PartitionChoice.parse("routed"))
        .isEqualTo(new PartitionChoice(PartitionChoice.Mode.ROUTED, -1));
    assertThat(PartitionChoice.parse("random"))
        .isEqualTo(new PartitionChoice(PartitionChoice.Mode.RANDOM, -1));
    assertThat(PartitionChoice.parse("0"))
        .isEqualTo(new PartitionChoice(PartitionChoice.Mode.FIXED, 0));
    assertThat(PartitionChoice.parse("15"))
        .isEqualTo(new PartitionChoice(PartitionChoice.Mode.FIXED, 15));
  }

  @Test
  void printsAsTheOptionIsWritten() {
    for (String text : new String[] {"routed", "random", "7"}) {
      assertThat(PartitionChoice.parse(text)).hasToString(text);
    }
  }

  @Test
  void refusesAnythingElseNamingTheOption() {
    assertThatThrownBy(() -> PartitionChoice.parse("everywhere"))
        .hasMessage(
            "--partition must be routed, random or a partition number >= 0, was everywhere");
    assertThatThrownBy(() -> PartitionChoice.parse("-1"))
        .hasMessageStartingWith("--partition: a fixed partition must be >= 0");
  }

  @Test
  void refusesAPartitionWithAModeThatHasNone() {
    assertThatThrownBy(() -> new PartitionChoice(PartitionChoice.Mode.RANDOM, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
