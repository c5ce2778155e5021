package dev.shardpipe.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ViolationTest {

  @Test
  void prefixesAFieldWithTheItemsIndex() {
    assertThat(new Violation("owner_id", "is required").inItem(3))
        .isEqualTo(new Violation("[3].owner_id", "is required"));
  }

  @Test
  void namesTheItemItselfForAWholeDocumentViolation() {
    assertThat(new Violation("", "must be a JSON object").inItem(0))
        .isEqualTo(new Violation("[0]", "must be a JSON object"));
  }

  @Test
  void refusesANegativeIndex() {
    assertThatThrownBy(() -> new Violation("text", "is required").inItem(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a batch item's index must be >= 0, was -1");
  }
}
