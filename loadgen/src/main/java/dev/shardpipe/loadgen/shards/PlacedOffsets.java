package dev.shardpipe.loadgen.shards;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.Shard;
import io.micronaut.core.annotation.Nullable;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far every partition is applied, wherever it lives in one catalog snapshot: each shard is
 * asked about the partitions placed on it and, while a move is under way, the move's source and
 * target are both asked about the moving partition. A partition's figure is the largest any shard
 * reports. That is safe across a move: the source's row is fenced at the cutover and fenced rows
 * are not reported, and the target's offset only counts rows the target holds.
 */
public final class PlacedOffsets {

  /** PostgreSQL's undefined_table: a shard whose writer has not migrated it yet. */
  private static final String UNDEFINED_TABLE = "42P01";

  /** PostgreSQL's undefined_column: a shard whose writer is migrating it right now. */
  private static final String UNDEFINED_COLUMN = "42703";

  private PlacedOffsets() {}

  /**
   * What one reading found.
   *
   * @param applied partition to the next offset applied; a partition no shard has applied is
   *     absent, and so is one whose only shards could not be read
   * @param failure the first error of a shard that could not be read, or null when every shard was
   *     read; a shard whose writer has not migrated it yet counts as having applied nothing
   */
  public record Reading(Map<Integer, Long> applied, @Nullable SQLException failure) {}

  /**
   * Reads every partition's applied offset; a shard that fails does not keep the others from being
   * read.
   *
   * @param snapshot the catalog as it is now
   * @param offsets reads one shard
   * @return the offsets, and the first failure if any
   */
  public static Reading read(CatalogSnapshot snapshot, ShardOffsets offsets) {
    Map<String, Set<Integer>> asked = new TreeMap<>();
    for (String shard : snapshot.shards()) {
      asked.computeIfAbsent(shard, s -> new TreeSet<>()).addAll(snapshot.partitionsOf(shard));
    }
    for (Move move : snapshot.activeMoves()) {
      asked.computeIfAbsent(move.from(), s -> new TreeSet<>()).add(move.partition());
      asked.computeIfAbsent(move.to(), s -> new TreeSet<>()).add(move.partition());
    }
    Map<Integer, Long> applied = new HashMap<>();
    SQLException failed = null;
    for (Map.Entry<String, Set<Integer>> entry : asked.entrySet()) {
      Shard shard = snapshot.shard(entry.getKey()).orElse(null);
      if (shard == null || entry.getValue().isEmpty()) {
        continue;
      }
      try {
        offsets
            .read(shard, entry.getValue())
            .forEach((p, next) -> applied.merge(p, next, Math::max));
      } catch (SQLException e) {
        boolean migrating =
            UNDEFINED_TABLE.equals(e.getSQLState()) || UNDEFINED_COLUMN.equals(e.getSQLState());
        if (!migrating && failed == null) {
          failed = e;
        }
      }
    }
    return new Reading(applied, failed);
  }
}
