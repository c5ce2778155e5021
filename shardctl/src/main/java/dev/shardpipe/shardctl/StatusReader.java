package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.shardctl.status.MoveStatus;
import dev.shardpipe.shardctl.status.ShardStatus;
import dev.shardpipe.shardctl.status.StatusReport;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers {@code shardctl status}: the catalog, each shard's rows in the partitions it owns, and
 * each moving partition's lag. A shard or Kafka that cannot be read leaves its numbers empty and a
 * warning, so status still shows the rest; that is when it is needed most.
 */
final class StatusReader {

  /** How many ended moves status shows besides those under way. */
  static final int RECENT_MOVES = 20;

  private final Session session;
  private final PrintWriter warnings;

  StatusReader(Session session, PrintWriter warnings) {
    this.session = session;
    this.warnings = warnings;
  }

  StatusReport read() {
    CatalogSnapshot catalog = session.snapshot();
    List<ShardStatus> shards = new ArrayList<>();
    for (Shard shard : catalog.shardList()) {
      List<Integer> owned =
          shard.state() == ShardState.REMOVED ? List.of() : catalog.partitionsOf(shard.name());
      shards.add(
          new ShardStatus(
              shard.name(),
              shard.url(),
              shard.region(),
              shard.state().label(),
              owned,
              rows(shard, owned)));
    }
    return new StatusReport(
        catalog.version(), catalog.partitions(), shards, catalog.placement(), moves(catalog));
  }

  /** Each kind's rows in the partitions a shard owns, in {@link EventKind} order. */
  private Map<EventKind, @Nullable Long> rows(Shard shard, List<Integer> owned) {
    Map<EventKind, @Nullable Long> rows = new EnumMap<>(EventKind.class);
    for (EventKind kind : EventKind.values()) {
      rows.put(kind, rows(shard, ShardSchema.rows(kind), owned));
    }
    return rows;
  }

  private @Nullable Long rows(Shard shard, ShardTable table, List<Integer> owned) {
    if (owned.isEmpty()) {
      return 0L;
    }
    try {
      return ShardReads.rows(session.database(shard), table, owned);
    } catch (SQLException e) {
      warn("cannot count the rows of shard " + shard.name() + ": " + e.getMessage());
      return null;
    }
  }

  private List<MoveStatus> moves(CatalogSnapshot catalog) {
    Map<Long, Move> byId = new TreeMap<>(Comparator.reverseOrder());
    for (Move m : session.catalog().recentMoves(RECENT_MOVES)) {
      byId.put(m.id(), m);
    }
    for (Move m : catalog.activeMoves()) {
      byId.put(m.id(), m);
    }
    Map<Long, Long> lags = lags(byId.values().stream().filter(StatusReader::applying).toList());
    List<MoveStatus> moves = new ArrayList<>();
    for (Move m : byId.values()) {
      moves.add(
          new MoveStatus(
              m.id(),
              m.partition(),
              m.from(),
              m.to(),
              m.state().label(),
              m.rowsCopied(),
              lags.get(m.id()),
              m.startedAt(),
              m.finishedAt(),
              m.error()));
    }
    return moves;
  }

  /** Whether the target applies the partition now, so that its lag means something. */
  static boolean applying(Move m) {
    return m.state() == MoveState.CATCHING_UP || m.state() == MoveState.CUTOVER;
  }

  /** Lag per move id: Kafka's end offset less the target's applied offset. */
  Map<Long, Long> lags(List<Move> moves) {
    Map<Long, Long> lags = new HashMap<>();
    if (moves.isEmpty()) {
      return lags;
    }
    Map<Integer, Long> ends;
    try {
      ends = session.endOffsets(moves.stream().map(Move::partition).toList());
    } catch (ShardctlException e) {
      warn(e.getMessage());
      return lags;
    }
    for (Move m : moves) {
      try {
        long applied = session.steps().appliedOnTarget(m);
        lags.put(m.id(), Math.max(0, ends.getOrDefault(m.partition(), 0L) - applied));
      } catch (SQLException | RuntimeException e) {
        warn("cannot read the applied offsets of shard " + m.to() + ": " + e.getMessage());
      }
    }
    return lags;
  }

  private void warn(String message) {
    warnings.println("shardctl: warning: " + message);
    warnings.flush();
  }
}
