package dev.shardpipe.core.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingTest {

  private final Routing routing = Routing.defaults();

  /**
   * Pinned vectors: routing must never change for the life of a topic, so any change to these
   * numbers is a breaking change, not a test to update. Computed once from Kafka's murmur2.
   */
  @ParameterizedTest(name = "tweet {0}/{1} -> partition {2}")
  @CsvSource({
    "europe, 0, 4",
    "europe, 1, 7",
    "europe, 42, 4",
    "europe, 7, 3",
    "europe, 1000, 6",
    "europe, 9223372036854775807, 5",
    "usa, 0, 12",
    "usa, 1, 15",
    "usa, 42, 12",
    "usa, 7, 11",
    "usa, 123456789, 14",
    "asia, 0, 4",
    "asia, 1, 15",
    "asia, 42, 12",
    "Europe, 42, 12",
  })
  void routesTweetsByTestVectors(String location, long ownerId, int partition) {
    assertThat(routing.partitionForTweet(location, ownerId)).isEqualTo(partition);
    assertThat(routing.partitionForKey(location + "/" + ownerId)).isEqualTo(partition);
  }

  @ParameterizedTest(name = "file of user {0} -> partition {1}")
  @CsvSource({
    "0, 4",
    "1, 15",
    "42, 12",
    "7, 3",
    "1000, 6",
    "123456789, 6",
    "9223372036854775807, 13",
  })
  void routesFilesByTestVectors(long userId, int partition) {
    assertThat(routing.partitionForFile(userId)).isEqualTo(partition);
    assertThat(routing.partitionForKey(Long.toString(userId))).isEqualTo(partition);
  }

  @ParameterizedTest(name = "P = {0}")
  @ValueSource(ints = {1, 7, 16, 64})
  void routesFileToThePartitionKafkasDefaultPartitionerPicksForTheUserIdKey(int partitions) {
    Routing sized = Routing.of(partitions, "");
    for (long userId = 0; userId < 5_000; userId++) {
      byte[] key = Long.toString(userId).getBytes(UTF_8);
      assertThat(sized.partitionForFile(userId))
          .as("user %d", userId)
          .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
    }
  }

  /**
   * The worked example of docs/ingest-api.md ("Producing from other languages"), step by step, so
   * that the numbers a reader checks a port of the formula against are the real ones: owner 42,
   * whose hash is positive, and owner 7, whose hash is negative and needs {@code toPositive}.
   */
  @Test
  void matchesTheWorkedExampleOfTheDocs() {
    assertThat(Utils.murmur2("42".getBytes(UTF_8))).isEqualTo(417_700_972).isEqualTo(0x18e59c6c);
    assertThat(Utils.toPositive(417_700_972)).isEqualTo(417_700_972);
    assertThat(routing.partitionForTweet("europe", 42)).isEqualTo(0 + 417_700_972 % 8).isEqualTo(4);
    assertThat(routing.partitionForTweet("usa", 42)).isEqualTo(8 + 417_700_972 % 8).isEqualTo(12);
    assertThat(routing.partitionForTweet("asia", 42)).isEqualTo(417_700_972 % 16).isEqualTo(12);
    assertThat(routing.partitionForFile(42)).isEqualTo(12);

    assertThat(Utils.murmur2("7".getBytes(UTF_8))).isEqualTo(-1_961_297_549).isEqualTo(0x8b18f973);
    assertThat(Utils.toPositive(-1_961_297_549))
        .isEqualTo(0x8b18f973 & 0x7fffffff)
        .isEqualTo(186_186_099);
    assertThat(routing.partitionForTweet("europe", 7)).isEqualTo(186_186_099 % 8).isEqualTo(3);
    assertThat(routing.partitionForTweet("usa", 7)).isEqualTo(11);
    assertThat(routing.partitionForFile(7)).isEqualTo(186_186_099 % 16).isEqualTo(3);
  }

  /**
   * The table of docs/ingest-api.md: where files of these users belong (Kafka's murmur2
   * partitioner), and where a librdkafka client puts them with its default partitioner, {@code
   * consistent_random}, which takes CRC32 of the key modulo P (kcat put them there on the
   * devstack).
   */
  @ParameterizedTest(name = "user {0}: partition {1}, librdkafka default {2}")
  @CsvSource({"42, 12, 8", "7, 3, 2", "1000, 6, 7", "123456, 12, 1"})
  void placesFilesWhereTheDocsSayAndWhereCrc32WouldNot(
      long userId, int partition, int crc32Partition) {
    assertThat(routing.partitionForFile(userId)).isEqualTo(partition);
    CRC32 crc = new CRC32();
    crc.update(Long.toString(userId).getBytes(UTF_8));
    assertThat(crc.getValue() % Routing.DEFAULT_PARTITIONS)
        .isEqualTo(crc32Partition)
        .isNotEqualTo(partition);
  }

  @Test
  void routesEuropeanTweetsToPartitions0To7AndUsaTweetsTo8To15() {
    assertThat(partitionsUsedBy("europe")).containsExactlyElementsOf(range(0, 7));
    assertThat(partitionsUsedBy("usa")).containsExactlyElementsOf(range(8, 15));
  }

  @Test
  void spreadsTweetsFromOtherLocationsOverAllPartitions() {
    assertThat(partitionsUsedBy("asia")).containsExactlyElementsOf(range(0, 15));
    assertThat(routing.partitionsForLocation("asia")).isEqualTo(new PartitionRange(0, 15));
  }

  @Test
  void routesUnlistedLocationsToTheWildcardRangeWhenConfigured() {
    Routing custom = Routing.of(16, "europe=0-7, usa=8-13, *=14-15");
    assertThat(custom.partitionsForLocation("asia")).isEqualTo(new PartitionRange(14, 15));
    IntStream.range(0, 1000)
        .forEach(owner -> assertThat(custom.partitionForTweet("asia", owner)).isBetween(14, 15));
  }

  @Test
  void readsTheOwnerAfterTheLastSlashSoLocationsMayContainSlashes() {
    assertThat(routing.partitionForKey("north/america/42"))
        .isEqualTo(routing.partitionForTweet("north/america", 42));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "europe=0-16 | range 0-16 of tweet location europe is outside partitions 0..15",
        "europe=0-7,europe=8-15 | tweet location europe is listed twice",
        "*=0-3,*=4-7 | tweet location * is listed twice",
        "europe | tweet location entry \"europe\" is not of the form <location>=<range>",
        "=0-7 | tweet location entry \"=0-7\" is not of the form <location>=<range>",
        "europe=7-0 | tweet location europe: range 7-0 is empty: the first partition is after"
            + " the last",
        "europe=a-b | tweet location europe: \"a-b\" is not a partition range such as 0-7 or 5",
      })
  void rejectsInvalidLocationRangesWithExactMessages(String spec, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Routing.of(16, spec))
        .withMessage(message);
  }

  @Test
  void rejectsAPartitionCountBelowOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Routing.of(0, ""))
        .withMessage("the partition count must be at least 1, was 0");
  }

  private Set<Integer> partitionsUsedBy(String location) {
    Set<Integer> used = new TreeSet<>();
    for (long owner = 0; owner < 2_000; owner++) {
      used.add(routing.partitionForTweet(location, owner));
    }
    return used;
  }

  private static Set<Integer> range(int first, int last) {
    Set<Integer> set = new TreeSet<>();
    IntStream.rangeClosed(first, last).forEach(set::add);
    return set;
  }
}
