package dev.shardpipe.loadgen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.EventKind;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The expected values were computed independently with Python's uuid.uuid5 and hashlib. */
class StableIdsTest {

  @Test
  void givesACommitTheVersion5UuidOfItsUrnInTheUrlNamespace() {
    UUID id = StableIds.commit("0123456789ABCDEF0123456789abcdef01234567");

    assertThat(id).isEqualTo(UUID.fromString("bac808c3-e80a-5b87-ae07-2e0c2d1c2f37"));
    assertThat(id.version()).isEqualTo(5);
  }

  @Test
  void givesAFileTheVersion5UuidOfItsPathsUri() {
    assertThat(StableIds.file(Path.of("/srv/data/report.pdf")))
        .isEqualTo(UUID.fromString("b639f2ef-3898-5991-ac69-6fe14706b4d3"));
  }

  @Test
  void refusesARelativeFilePath() {
    assertThatThrownBy(() -> StableIds.file(Path.of("data/report.pdf")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data/report.pdf");
  }

  @Test
  void givesTheNthSyntheticEventOfASeedTheSameId() {
    assertThat(StableIds.synthetic(7, EventKind.TWEET, 0))
        .isEqualTo(UUID.fromString("e926d1fd-0137-5462-831e-fe022d6af0c4"))
        .isNotEqualTo(StableIds.synthetic(7, EventKind.FILE, 0))
        .isNotEqualTo(StableIds.synthetic(8, EventKind.TWEET, 0))
        .isNotEqualTo(StableIds.synthetic(7, EventKind.TWEET, 1));
  }

  @Test
  void derivesTheOwnerFromTheFirst8BytesOfTheSha256OfTheAddress() {
    assertThat(StableIds.owner("ada@example.org")).isEqualTo(5755615572103500838L);
  }

  @Test
  void givesAnAddressTheSameOwnerWhateverItsCaseOrSurroundingWhitespace() {
    long owner = StableIds.owner("ada@example.org");

    assertThat(StableIds.owner("Ada@Example.ORG")).isEqualTo(owner);
    assertThat(StableIds.owner("  ada@example.org\t")).isEqualTo(owner);
    assertThat(StableIds.owner("bob@example.org")).isNotEqualTo(owner);
  }

  @Test
  void neverGivesANegativeOwner() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(StableIds.owner("author" + i + "@example.org")).isNotNegative();
    }
    assertThat(StableIds.owner("")).isNotNegative();
  }
}
