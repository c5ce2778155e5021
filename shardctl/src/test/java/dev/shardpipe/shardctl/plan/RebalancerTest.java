package dev.shardpipe.shardctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.shardctl.plan.Rebalancer.Measure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RebalancerTest {

  /** Default routing and pins: europe 0-7 pinned to region europe, usa 8-15 to usa. */
  private static final RegionPins PINS =
      RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS);

  /** Nothing pinned: every partition may go anywhere. */
  private static final RegionPins NO_PINS = RegionPins.of(Routing.defaults(), "");

  /** Europe 0-7 pinned; 8-15 (usa, not pinned here) anywhere. */
  private static final RegionPins EUROPE_ONLY = RegionPins.of(Routing.defaults(), "europe=europe");

  @Test
  void givesANewShardOfARegionHalfOfThatRegionsPartitionsTheHighestNumbered() {
    CatalogSnapshot catalog =
        catalog("eu=0-7,us=8-15", List.of(eu(), us(), shard("c", "europe")), List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves())
        .containsExactly(
            new PlannedMove(4, "eu", "c"),
            new PlannedMove(5, "eu", "c"),
            new PlannedMove(6, "eu", "c"),
            new PlannedMove(7, "eu", "c"));
    assertThat(plan.partitionsAfter("eu")).containsExactly(0, 1, 2, 3);
    assertThat(plan.partitionsAfter("us")).hasSize(8);
    assertThat(plan.version()).isEqualTo(catalog.version());
  }

  @Test
  void plansNothingWhenEveryShardHoldsItsShare() {
    CatalogSnapshot catalog =
        catalog("eu=0-3,c=4-7,us=8-15", List.of(eu(), us(), shard("c", "europe")), List.of());

    assertThat(Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of()).moves()).isEmpty();
  }

  @Test
  void givesAShardOfAnotherRegionNoPinnedPartition() {
    CatalogSnapshot catalog =
        catalog("eu=0-7,us=8-15", List.of(eu(), us(), shard("asia", "asia")), List.of());

    assertThat(Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of()).moves()).isEmpty();
  }

  @Test
  void spreadsUnpinnedPartitionsOverEveryActiveShard() {
    CatalogSnapshot catalog = catalog("eu=0-15", List.of(eu(), shard("b", null)), List.of());

    Plan plan = Rebalancer.rebalance(catalog, NO_PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves()).hasSize(8).allMatch(m -> m.from().equals("eu") && m.to().equals("b"));
    assertThat(plan.partitionsAfter("b")).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
  }

  @Test
  void balancesPinnedPartitionsInTheirRegionAndTheRestEverywhere() {
    CatalogSnapshot catalog =
        catalog("eu=0-15", List.of(eu(), shard("c", "europe"), shard("x", null)), List.of());

    Plan plan = Rebalancer.rebalance(catalog, EUROPE_ONLY, Measure.PARTITIONS, Map.of());

    // 0-7 over eu and c (4 each); 8-15 over eu, c and x (3, 3, 2 with eu keeping the most).
    assertThat(plan.partitionsAfter("eu").stream().filter(p -> p < 8)).hasSize(4);
    assertThat(plan.partitionsAfter("c").stream().filter(p -> p < 8)).hasSize(4);
    assertThat(plan.partitionsAfter("x")).allMatch(p -> p >= 8);
    Map<String, Long> unpinned =
        plan.after().entrySet().stream()
            .filter(e -> e.getKey() >= 8)
            .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()));
    assertThat(unpinned.values()).containsExactlyInAnyOrder(3L, 3L, 2L);
    assertThat(unpinned.get("eu")).isEqualTo(3);
    assertThat(plan.moves()).hasSize(4 + 5);
  }

  @Test
  void keepsTheRoundingUpOnTheShardsThatHoldTheMost() {
    // 8 pinned partitions over 3 shards: 3, 3, 2. eu and c hold 3 already; d gets 2 from... none
    // left over unless someone has more: eu 4, c 3, d 1 -> one move eu -> d.
    CatalogSnapshot catalog =
        catalog(
            "eu=0-3,c=4-6,d=7,us=8-15",
            List.of(eu(), us(), shard("c", "europe"), shard("d", "europe")),
            List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves()).containsExactly(new PlannedMove(3, "eu", "d"));
  }

  @Test
  void alwaysMovesThePartitionsOfADrainingShard() {
    CatalogSnapshot catalog =
        catalog(
            "eu=0-3,c=4-7,us=8-15",
            List.of(eu(), us(), shard("c", "europe", ShardState.DRAINING)),
            List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves()).extracting(PlannedMove::partition).containsExactly(4, 5, 6, 7);
    assertThat(plan.moves()).allMatch(m -> m.from().equals("c") && m.to().equals("eu"));
  }

  @Test
  void drainSpreadsTheDrainedShardsPartitionsOverTheRestAndMovesNothingElse() {
    // eu 0-1 and d 2-3 are unbalanced against c 4-7, but a drain of c only empties c.
    CatalogSnapshot catalog =
        catalog(
            "eu=0-1,d=2-3,c=4-7,us=8-15",
            List.of(eu(), us(), shard("c", "europe", ShardState.DRAINING), shard("d", "europe")),
            List.of());

    Plan plan = Rebalancer.drain(catalog, PINS, Measure.PARTITIONS, Map.of(), "c");

    assertThat(plan.moves()).extracting(PlannedMove::from).containsOnly("c");
    assertThat(plan.partitionsAfter("eu")).hasSize(4);
    assertThat(plan.partitionsAfter("d")).hasSize(4);
    assertThat(plan.partitionsAfter("c")).isEmpty();
  }

  @Test
  void drainLeavesOtherDrainingShardsAlone() {
    CatalogSnapshot catalog =
        catalog(
            "eu=0-3,c=4-5,d=6-7,us=8-15",
            List.of(
                eu(),
                us(),
                shard("c", "europe", ShardState.DRAINING),
                shard("d", "europe", ShardState.DRAINING)),
            List.of());

    Plan plan = Rebalancer.drain(catalog, PINS, Measure.PARTITIONS, Map.of(), "c");

    assertThat(plan.moves())
        .containsExactly(new PlannedMove(4, "c", "eu"), new PlannedMove(5, "c", "eu"));
  }

  @Test
  void bringsAPartitionPlacedAcrossRegionsBackIntoItsRegion() {
    CatalogSnapshot catalog = catalog("eu=0-6,us=7-15", List.of(eu(), us()), List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves()).containsExactly(new PlannedMove(7, "us", "eu"));
  }

  @Test
  void leavesPinnedPartitionsWithoutAShardInTheirRegionWhereTheyAreAndSaysSo() {
    CatalogSnapshot catalog =
        catalog("eu=0-7,x=8-15", List.of(eu(), shard("x", "asia"), usShard("removed")), List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.notes())
        .containsExactly(
            "no active shard in region usa for its pinned partitions 8-15; they stay where they"
                + " are");
  }

  @Test
  void countsAMoveUnderWayAtItsTargetAndNeverPlansItAgain() {
    CatalogSnapshot catalog =
        catalog(
            "eu=0-7,us=8-15",
            List.of(eu(), us(), shard("c", "europe")),
            List.of(move(7, "eu", "c"), move(6, "eu", "c")));

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.PARTITIONS, Map.of());

    assertThat(plan.moves())
        .containsExactly(new PlannedMove(4, "eu", "c"), new PlannedMove(5, "eu", "c"));
    assertThat(plan.partitionsAfter("c")).containsExactly(4, 5, 6, 7);
  }

  @Test
  void balancesRowsByMovingTheFewestHeavyPartitions() {
    CatalogSnapshot catalog =
        catalog("eu=0-7,us=8-15", List.of(eu(), us(), shard("c", "europe")), List.of());
    Map<Integer, Long> rows = new HashMap<>();
    for (int p = 0; p < 16; p++) {
      rows.put(p, 100L);
    }
    rows.put(2, 700L); // eu holds 1400 rows, 700 of them in partition 2

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.ROWS, rows);

    assertThat(plan.moves()).containsExactly(new PlannedMove(2, "eu", "c"));
  }

  @Test
  void byRowsWithoutRowsMovesOnlyWhatMustMove() {
    CatalogSnapshot catalog =
        catalog(
            "eu=0-3,c=4-7,us=8-15",
            List.of(eu(), us(), shard("c", "europe", ShardState.DRAINING), shard("d", "europe")),
            List.of());

    Plan plan = Rebalancer.rebalance(catalog, PINS, Measure.ROWS, Map.of());

    assertThat(plan.moves()).extracting(PlannedMove::from).containsOnly("c");
    assertThat(plan.moves()).hasSize(4);
  }

  @Test
  void balancesAnyPlacementWithTheFewestMovesPossible() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int shards = 1 + random.nextInt(4);
      List<Shard> list = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        list.add(shard("s" + s, null));
      }
      boolean draining = shards > 1 && random.nextBoolean();
      if (draining) {
        list.set(0, shard("s0", null, ShardState.DRAINING));
      }
      Map<Integer, String> placement = new LinkedHashMap<>();
      for (int p = 0; p < 16; p++) {
        placement.put(p, "s" + random.nextInt(shards));
      }
      CatalogSnapshot catalog = new CatalogSnapshot(3, 16, list, placement, List.of());

      Plan plan = Rebalancer.rebalance(catalog, NO_PINS, Measure.PARTITIONS, Map.of());

      List<String> active =
          list.stream().filter(s -> s.state() == ShardState.ACTIVE).map(Shard::name).toList();
      int floor = 16 / active.size();
      for (String s : active) {
        assertThat(plan.partitionsAfter(s).size())
            .isBetween(floor, floor + (16 % active.size() == 0 ? 0 : 1));
      }
      if (draining) {
        assertThat(plan.partitionsAfter("s0")).isEmpty();
      }
      assertThat(plan.moves()).hasSize(fewestMoves(placement, active));
      assertThat(plan.moves()).allMatch(m -> !m.from().equals(m.to()));
    }
  }

  /** By brute force over which shards get the rounded-up share: 16 less the most that can stay. */
  private static int fewestMoves(Map<Integer, String> placement, List<String> active) {
    int k = active.size();
    int base = 16 / k;
    int extra = 16 % k;
    int bestKept = 0;
    for (int mask = 0; mask < (1 << k); mask++) {
      if (Integer.bitCount(mask) != extra) {
        continue;
      }
      int kept = 0;
      for (int i = 0; i < k; i++) {
        String s = active.get(i);
        long held = placement.values().stream().filter(s::equals).count();
        kept += (int) Math.min(held, base + ((mask >> i) & 1));
      }
      bestKept = Math.max(bestKept, kept);
    }
    return 16 - bestKept;
  }

  @Test
  void listsPartitionsAsRanges() {
    assertThat(Rebalancer.ranges(List.of(9, 0, 1, 2, 3, 6, 8))).isEqualTo("0-3, 6, 8-9");
    assertThat(Rebalancer.ranges(List.of())).isEmpty();
  }

  private static CatalogSnapshot catalog(String placement, List<Shard> shards, List<Move> moves) {
    Placement parsed = Placement.parse(16, placement);
    Map<Integer, String> map = new LinkedHashMap<>();
    IntStream.range(0, 16).forEach(p -> map.put(p, parsed.shardOf(p)));
    return new CatalogSnapshot(7, 16, shards, map, moves);
  }

  private static Shard eu() {
    return shard("eu", "europe");
  }

  private static Shard us() {
    return shard("us", "usa");
  }

  private static Shard usShard(String state) {
    return shard("us", "usa", ShardState.of(state));
  }

  private static Shard shard(String name, String region) {
    return shard(name, region, ShardState.ACTIVE);
  }

  private static Shard shard(String name, String region, ShardState state) {
    return new Shard(name, "jdbc:postgresql://localhost/shard_" + name, region, state);
  }

  private static Move move(int partition, String from, String to) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new Move(
        partition,
        partition,
        from,
        to,
        MoveState.CATCHING_UP,
        10L,
        null,
        5,
        null,
        null,
        now,
        now,
        null);
  }
}
