package dev.shardpipe.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementTest {

  @Test
  void placesPartitions0To7OnEuAnd8To15OnUsByDefault() {
    Placement placement = Placement.parse(16, Placement.DEFAULT_PLACEMENT);
    assertThat(placement.shards()).containsExactly("eu", "us");
    assertThat(placement.partitionsOf("eu")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(placement.partitionsOf("us")).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(placement.shardOf(0)).isEqualTo("eu");
    assertThat(placement.shardOf(7)).isEqualTo("eu");
    assertThat(placement.shardOf(8)).isEqualTo("us");
    assertThat(placement.shardOf(15)).isEqualTo("us");
    assertThat(placement.partitions()).isEqualTo(16);
  }

  @Test
  void placesSeveralRangesOnOneShardJoinedWithPlus() {
    Placement placement = Placement.parse(16, "eu=8+0-6, us=7+9-15");
    assertThat(placement.partitionsOf("eu")).containsExactly(0, 1, 2, 3, 4, 5, 6, 8);
    assertThat(placement.shardOf(7)).isEqualTo("us");
  }

  @Test
  void placesAThirdShard() {
    Placement placement = Placement.parse(16, "eu=0-5,us=6-11,asia=12-15");
    assertThat(placement.shards()).containsExactly("eu", "us", "asia");
    assertThat(placement.partitionsOf("asia")).isEqualTo(List.of(12, 13, 14, 15));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "eu=0-7,us=8-14 | partition 15 is not placed on any shard; every partition 0..15 must"
            + " be placed exactly once",
        "eu=0-5,us=8-15 | partitions 6, 7 are not placed on any shard; every partition 0..15"
            + " must be placed exactly once",
        "eu=0-8,us=8-15 | partition 8 is placed on both eu and us",
        "eu=0-7,us=8-16 | range 8-16 of shard us is outside partitions 0..15",
        "EU=0-7,us=8-15 | shard name \"EU\" must match [a-z][a-z0-9_]{0,30}",
        "eu=0-3,us=8-15,eu=4-7 | shard eu is listed twice; join its ranges with '+'",
        "eu | placement entry \"eu\" is not of the form <shard>=<range>",
        "eu=x,us=8-15 | shard eu: \"x\" is not a partition range such as 0-7 or 5",
      })
  void rejectsInvalidPlacementsWithExactMessages(String spec, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Placement.parse(16, spec))
        .withMessage(message);
  }

  @Test
  void rejectsQuestionsAboutUnknownShardsAndPartitions() {
    Placement placement = Placement.parse(16, Placement.DEFAULT_PLACEMENT);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> placement.partitionsOf("asia"))
        .withMessage("no partition is placed on shard asia; shards are [eu, us]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> placement.shardOf(16))
        .withMessage("partition 16 is outside 0..15");
  }
}
