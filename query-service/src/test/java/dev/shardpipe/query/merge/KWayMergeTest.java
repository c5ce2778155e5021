package dev.shardpipe.query.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KWayMergeTest {

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  private static Keyset at(long micros, String id) {
    return new Keyset(T.plusNanos(micros * 1000), UUID.fromString(id));
  }

  @Test
  void mergesSortedListsNewestFirstUpToTheLimit() {
    List<Keyset> eu = List.of(at(9, uuid(1)), at(5, uuid(1)), at(1, uuid(1)));
    List<Keyset> us = List.of(at(8, uuid(2)), at(7, uuid(2)), at(2, uuid(2)));
    assertThat(KWayMerge.merge(List.of(eu, us), Keyset.NEWEST_FIRST, 4))
        .containsExactly(at(9, uuid(1)), at(8, uuid(2)), at(7, uuid(2)), at(5, uuid(1)));
    assertThat(KWayMerge.merge(List.of(eu, us), Keyset.NEWEST_FIRST, 100)).hasSize(6);
    assertThat(KWayMerge.merge(List.of(eu, us), Keyset.NEWEST_FIRST, 0)).isEmpty();
  }

  @Test
  void handlesNoListsAndEmptyLists() {
    assertThat(KWayMerge.merge(List.<List<Keyset>>of(), Keyset.NEWEST_FIRST, 5)).isEmpty();
    List<Keyset> one = List.of(at(3, uuid(1)));
    assertThat(KWayMerge.merge(List.of(List.of(), one, List.of()), Keyset.NEWEST_FIRST, 5))
        .containsExactly(at(3, uuid(1)));
  }

  @Test
  void breaksTiesOnOccurredAtByIdDescending() {
    List<Keyset> eu = List.of(at(5, uuid(3)), at(5, uuid(1)));
    List<Keyset> us = List.of(at(5, uuid(4)), at(5, uuid(2)));
    assertThat(KWayMerge.merge(List.of(eu, us), Keyset.NEWEST_FIRST, 10))
        .containsExactly(at(5, uuid(4)), at(5, uuid(3)), at(5, uuid(2)), at(5, uuid(1)));
  }

  @Test
  void ordersIdsAsPostgresDoesUnsignedNotAsUuidCompareTo() {
    // PostgreSQL: 8000... > 7fff... (byte 0x80 > 0x7f); UUID.compareTo says the opposite.
    UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
    UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
    assertThat(high.compareTo(low)).isNegative();
    assertThat(Keyset.compareAsPostgres(high, low)).isPositive();
    UUID highLow = UUID.fromString("00000000-0000-0000-8000-000000000000");
    UUID lowLow = UUID.fromString("00000000-0000-0000-7fff-ffffffffffff");
    assertThat(Keyset.compareAsPostgres(highLow, lowLow)).isPositive();
    assertThat(
            KWayMerge.merge(
                List.of(List.of(new Keyset(T, low)), List.of(new Keyset(T, high))),
                Keyset.NEWEST_FIRST,
                2))
        .containsExactly(new Keyset(T, high), new Keyset(T, low));
  }

  @Test
  void agreesWithSortingTheUnionForRandomInput() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<List<Keyset>> sources = new ArrayList<>();
      List<Keyset> union = new ArrayList<>();
      for (int s = random.nextInt(5); s >= 0; s--) {
        List<Keyset> source = new ArrayList<>();
        for (int i = random.nextInt(20); i > 0; i--) {
          // Few distinct instants, so that ties are common.
          source.add(
              new Keyset(
                  T.plusNanos(random.nextInt(5) * 1000L),
                  new UUID(random.nextLong(), random.nextLong())));
        }
        source.sort(Keyset.NEWEST_FIRST);
        sources.add(source);
        union.addAll(source);
      }
      union.sort(Keyset.NEWEST_FIRST);
      int limit = random.nextInt(30);
      assertThat(KWayMerge.merge(sources, Keyset.NEWEST_FIRST, limit))
          .as("round %d", round)
          .containsExactlyElementsOf(union.subList(0, Math.min(limit, union.size())));
    }
  }

  @Test
  void keepsTheSourceOrderOfEqualItems() {
    Comparator<String> byLength = Comparator.comparingInt(String::length);
    assertThat(KWayMerge.merge(List.of(List.of("a", "ccc"), List.of("b", "dd")), byLength, 4))
        .containsExactly("a", "b", "dd", "ccc");
  }

  @Test
  void rejectsANegativeLimit() {
    assertThatThrownBy(() -> KWayMerge.merge(List.of(), Keyset.NEWEST_FIRST, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 0, was -1");
  }

  @Test
  void cutsAPageAndPointsTheCursorAtItsLastItemOnlyWhenMoreRowsFollow() {
    List<Keyset> eu = List.of(at(9, uuid(1)), at(5, uuid(1)), at(1, uuid(1)));
    List<Keyset> us = List.of(at(8, uuid(2)), at(7, uuid(2)));
    PageSlice<Keyset> first = PageSlice.of(List.of(eu, us), k -> k, 2);
    assertThat(first.items()).containsExactly(at(9, uuid(1)), at(8, uuid(2)));
    assertThat(first.next()).isEqualTo(at(8, uuid(2)));
    PageSlice<Keyset> whole = PageSlice.of(List.of(eu, us), k -> k, 5);
    assertThat(whole.items()).hasSize(5);
    assertThat(whole.next()).isNull();
  }

  private static String uuid(int n) {
    return String.format("00000000-0000-7000-8000-%012d", n);
  }
}
