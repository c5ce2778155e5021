package dev.shardpipe.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationsTest {

  @ParameterizedTest(name = "UTC{0} -> {1}")
  @CsvSource({
    "-12:00, other",
    "-11:00, other",
    "-10:30, other",
    "-10:00, usa",
    "-09:30, usa",
    "-05:00, usa",
    "-03:30, usa",
    "-03:00, usa",
    "-02:30, other",
    "-02:00, other",
    "-01:30, other",
    "-01:00, europe",
    "Z, europe",
    "+01:00, europe",
    "+03:30, europe",
    "+04:00, europe",
    "+04:30, other",
    "+05:30, other",
    "+05:45, other",
    "+09:30, other",
    "+14:00, other"
  })
  void mapsAnOffsetToItsLocationWithBothEndsOfEachRangeIncluded(String offset, String location) {
    assertThat(Locations.of(ZoneOffset.of(offset))).isEqualTo(location);
  }

  @ParameterizedTest(name = "UTC{0} -> {1}")
  @CsvSource({"-10:00:01, other", "-02:59:59, other", "+04:00:01, other", "-00:59:59, europe"})
  void comparesOffsetsToTheSecondAtTheEdges(String offset, String location) {
    assertThat(Locations.of(ZoneOffset.of(offset))).isEqualTo(location);
  }
}
