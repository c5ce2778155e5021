package dev.shardpipe.shardctl.plan;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.placement.RegionPins;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans which partitions to move so that the shards are balanced (docs/elasticity.md,
 * "Rebalancing"), with as few moves as possible. Pure: it reads a catalog snapshot and changes
 * nothing.
 *
 * <p>The partitions fall into groups, each balanced over its own shards: the partitions pinned to a
 * region over the active shards of that region, and the unpinned partitions over every active
 * shard. In a group of g partitions over k shards every shard ends with ⌊g/k⌋ or ⌈g/k⌉ of them
 * ({@link Measure#PARTITIONS}); the shards that already hold the most get the ⌈g/k⌉ places, which
 * keeps the most partitions where they are. A partition that is not on a shard of its group (on a
 * draining shard, or placed across regions) always moves. A partition already moving counts on its
 * target and is never planned again.
 *
 * <p>With {@link Measure#ROWS} the rows of each group are balanced instead: partitions that must
 * move go to the lightest shard, heaviest first; then, while a partition on the heaviest shard is
 * lighter than the gap to the lightest, the one closest to half the gap moves there. Each partition
 * moves at most once.
 */
public final class Rebalancer {

  /** What is balanced. */
  public enum Measure {
    /** The number of partitions per shard. */
    PARTITIONS,
    /** The rows per shard, counted per partition. */
    ROWS
  }

  private Rebalancer() {}

  /**
   * Plans a rebalance of every group.
   *
   * @param catalog the catalog now
   * @param pins which partitions must stay in which region
   * @param measure what to balance
   * @param rows rows per partition, for {@link Measure#ROWS}; a partition absent counts 0
   * @return the plan; empty when the shards are balanced
   */
  public static Plan rebalance(
      CatalogSnapshot catalog, RegionPins pins, Measure measure, Map<Integer, Long> rows) {
    return plan(catalog, pins, measure, rows, null);
  }

  /**
   * Plans moving every partition off one shard, to the shards a rebalance would choose; nothing
   * else moves.
   *
   * @param catalog the catalog now, with the shard draining
   * @param pins which partitions must stay in which region
   * @param measure what to balance when choosing targets
   * @param rows rows per partition, for {@link Measure#ROWS}
   * @param shard the shard to empty
   * @return the plan
   * @throws IllegalArgumentException if the catalog has no such shard
   */
  public static Plan drain(
      CatalogSnapshot catalog,
      RegionPins pins,
      Measure measure,
      Map<Integer, Long> rows,
      String shard) {
    if (catalog.shard(shard).isEmpty()) {
      throw new IllegalArgumentException("there is no shard " + shard);
    }
    return plan(catalog, pins, measure, rows, shard);
  }

  private static Plan plan(
      CatalogSnapshot catalog,
      RegionPins pins,
      Measure measure,
      Map<Integer, Long> rows,
      @Nullable String onlyOff) {
    Map<Optional<String>, List<Integer>> groups = new LinkedHashMap<>();
    for (int p = 0; p < catalog.partitions(); p++) {
      groups.computeIfAbsent(pins.regionOf(p), r -> new ArrayList<>()).add(p);
    }
    List<PlannedMove> moves = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<Optional<String>, List<Integer>> group : groups.entrySet()) {
      Optional<String> region = group.getKey();
      List<String> eligible =
          catalog.shardList().stream()
              .filter(s -> s.state() == ShardState.ACTIVE)
              .filter(s -> region.isEmpty() || region.get().equals(s.region()))
              .map(Shard::name)
              .sorted()
              .toList();
      Group g = new Group(catalog, group.getValue(), eligible, rows);
      if (eligible.isEmpty()) {
        notes.add(
            "no active shard in region "
                + region.orElseThrow()
                + " for its pinned partitions "
                + ranges(group.getValue())
                + "; they stay where they are");
        continue;
      }
      List<PlannedMove> planned =
          measure == Measure.PARTITIONS ? g.byCount(onlyOff) : g.byRows(onlyOff);
      moves.addAll(planned);
    }
    moves.sort(Comparator.comparingInt(PlannedMove::partition));
    Map<Integer, String> after = new TreeMap<>(catalog.placement());
    for (Move m : catalog.activeMoves()) {
      after.put(m.partition(), m.to());
    }
    for (PlannedMove m : moves) {
      after.put(m.partition(), m.to());
    }
    return new Plan(catalog.version(), moves, after, notes);
  }

  /** One group of partitions and the shards it is balanced over, with the plan's state. */
  private static final class Group {
    private final List<Integer> partitions;
    private final List<String> eligible;
    private final Map<Integer, Long> rows;

    /** Where each partition of the group is, counting a move under way at its target. */
    private final Map<Integer, String> location = new HashMap<>();

    /** Partitions that are moving already or have been planned: never planned (again). */
    private final Set<Integer> fixed = new HashSet<>();

    Group(
        CatalogSnapshot catalog,
        List<Integer> partitions,
        List<String> eligible,
        Map<Integer, Long> rows) {
      this.partitions = partitions;
      this.eligible = eligible;
      this.rows = rows;
      for (int p : partitions) {
        Optional<Move> moving = catalog.activeMoveOf(p);
        location.put(p, moving.map(Move::to).orElse(catalog.shardOf(p)));
        if (moving.isPresent()) {
          fixed.add(p);
        }
      }
    }

    /** Partitions that are on no shard of the group and so must move (of onlyOff, if given). */
    private List<Integer> mustMove(@Nullable String onlyOff) {
      return partitions.stream()
          .filter(p -> !fixed.contains(p))
          .filter(p -> !eligible.contains(location.get(p)))
          .filter(p -> onlyOff == null || onlyOff.equals(location.get(p)))
          .toList();
    }

    private List<Integer> on(String shard) {
      return partitions.stream().filter(p -> shard.equals(location.get(p))).toList();
    }

    List<PlannedMove> byCount(@Nullable String onlyOff) {
      Map<String, Integer> count = new LinkedHashMap<>();
      for (String s : eligible) {
        count.put(s, on(s).size());
      }
      int k = eligible.size();
      int base = partitions.size() / k;
      int extra = partitions.size() % k;
      // The ⌈g/k⌉ places go to the shards holding the most already: each keeps what it can.
      List<String> fullest =
          eligible.stream()
              .sorted(
                  Comparator.comparing((String s) -> count.get(s))
                      .reversed()
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
      Map<String, Integer> target = new HashMap<>();
      for (int i = 0; i < k; i++) {
        target.put(fullest.get(i), base + (i < extra ? 1 : 0));
      }
      List<Integer> pool = new ArrayList<>(mustMove(onlyOff));
      if (onlyOff == null) {
        for (String s : eligible) {
          int surplus = count.get(s) - target.get(s);
          if (surplus > 0) {
            // The highest-numbered partitions leave, so that ranges stay contiguous.
            List<Integer> movable =
                on(s).stream()
                    .filter(p -> !fixed.contains(p))
                    .sorted(Comparator.reverseOrder())
                    .toList();
            pool.addAll(movable.subList(0, Math.min(surplus, movable.size())));
          }
        }
      }
      pool.sort(null);
      List<PlannedMove> moves = new ArrayList<>();
      for (int p : pool) {
        String from = location.get(p);
        String to =
            eligible.stream()
                .filter(s -> !s.equals(from))
                .max(
                    Comparator.comparing((String s) -> target.get(s) - count.get(s))
                        .thenComparing(s -> -count.get(s))
                        .thenComparing(Comparator.<String>naturalOrder().reversed()))
                .orElseThrow();
        moves.add(move(p, to));
        count.computeIfPresent(from, (s, c) -> c - 1);
        count.merge(to, 1, Integer::sum);
      }
      return moves;
    }

    List<PlannedMove> byRows(@Nullable String onlyOff) {
      Map<String, Long> load = new LinkedHashMap<>();
      for (String s : eligible) {
        load.put(s, on(s).stream().mapToLong(this::weight).sum());
      }
      List<PlannedMove> moves = new ArrayList<>();
      List<Integer> must = new ArrayList<>(mustMove(onlyOff));
      must.sort(Comparator.comparingLong(this::weight).reversed().thenComparing(p -> p));
      for (int p : must) {
        String to = lightest(load, location.get(p));
        moves.add(move(p, to));
        load.merge(to, weight(p), Long::sum);
      }
      if (onlyOff != null) {
        return moves;
      }
      while (eligible.size() > 1) {
        String heavy = heaviest(load);
        String light = lightest(load, heavy);
        long gap = load.get(heavy) - load.get(light);
        Optional<Integer> best =
            on(heavy).stream()
                .filter(p -> !fixed.contains(p))
                .filter(p -> weight(p) > 0 && weight(p) < gap)
                .min(Comparator.comparingLong((Integer p) -> Math.abs(2 * weight(p) - gap)))
                .map(p -> p);
        if (best.isEmpty()) {
          break;
        }
        int p = best.get();
        moves.add(move(p, light));
        load.merge(heavy, -weight(p), Long::sum);
        load.merge(light, weight(p), Long::sum);
      }
      return moves;
    }

    private PlannedMove move(int p, String to) {
      PlannedMove planned = new PlannedMove(p, location.get(p), to);
      location.put(p, to);
      fixed.add(p);
      return planned;
    }

    private long weight(int p) {
      return rows.getOrDefault(p, 0L);
    }

    private String heaviest(Map<String, Long> load) {
      return eligible.stream()
          .max(
              Comparator.comparing((String s) -> load.get(s))
                  .thenComparing(Comparator.<String>naturalOrder().reversed()))
          .orElseThrow();
    }

    private String lightest(Map<String, Long> load, @Nullable String not) {
      return eligible.stream()
          .filter(s -> !Objects.equals(s, not))
          .min(Comparator.comparing((String s) -> load.get(s)).thenComparing(s -> s))
          .orElseThrow();
    }
  }

  /**
   * Lists partitions compactly, ranges joined: {@code 0-3, 6, 8-9}.
   *
   * @param partitions partitions, in any order
   * @return the list, ascending; empty for none
   */
  public static String ranges(List<Integer> partitions) {
    List<Integer> sorted = partitions.stream().sorted().toList();
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int first = sorted.get(i);
      int last = first;
      while (i + 1 < sorted.size() && sorted.get(i + 1) == last + 1) {
        last = sorted.get(++i);
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(first == last ? String.valueOf(first) : first + "-" + last);
      i++;
    }
    return out.toString();
  }
}
