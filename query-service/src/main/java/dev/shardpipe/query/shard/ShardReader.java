package dev.shardpipe.query.shard;

import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.PartitionRange;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.store.AppliedOffsets;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The reads of docs/query-service.md, shard by shard. Decides from routing and the placement a
 * request took which shards a read must ask, asks them in parallel, and returns each shard's rows
 * newest first; merging them into a page is the caller's.
 *
 * <p>Every statement is restricted to the partitions that placement puts on the shard it runs on
 * ({@code partition = ANY(?)}), and to the one partition a routed read names. A shard therefore
 * answers only for what that placement version says it owns: while a partition moves, its rows are
 * on two shards at once, and one placement per request is what keeps them from being read twice or
 * from the wrong shard (docs/elasticity.md). The caller takes the placement once per request and
 * passes it to every call of that request.
 *
 * <p>Lists use keyset pagination: {@code (occurred_at, id) < (?, ?) ORDER BY occurred_at DESC, id
 * DESC LIMIT ?}, which the {@code *_newest} indexes of the V1 migration serve without scanning
 * skipped rows as {@code OFFSET} would.
 */
@Singleton
public final class ShardReader {

  private final Routing routing;
  private final ScatterGather shards;
  private final Duration queryTimeout;
  private final int queryTimeoutSeconds;
  private final Duration statsTimeout;

  ShardReader(Routing routing, ScatterGather shards, QueryConfiguration config) {
    this.routing = routing;
    this.shards = shards;
    this.queryTimeout = config.queryTimeout();
    this.queryTimeoutSeconds = ShardPools.wholeSeconds(config.queryTimeout());
    this.statsTimeout = config.statsTimeout();
  }

  /**
   * Reads a page of an event kind's rows from every shard the filter needs: the one partition a
   * whole shard key routes to; the partitions of a location when the kind's key starts with one and
   * only the location is given; otherwise every partition.
   *
   * @param table the kind's table
   * @param placement the request's placement
   * @param filter required column values by wire name, each a key field of the kind; may be empty
   * @param after the position to continue after, or null for the newest
   * @param fetch rows to read per shard, {@code >= 1}
   * @return per shard, up to {@code fetch} rows newest first
   */
  public <R extends ShardRow> Answers<List<R>> list(
      KindTable<R> table,
      Placement placement,
      Map<String, Object> filter,
      @Nullable Keyset after,
      int fetch) {
    return newestFirst(
        table, targets(table.kind(), placement, filter), equals(filter), after, fetch);
  }

  /**
   * Looks a row up by id: on the one shard its shard key routes to when the key is whole, else on
   * every shard, since an id alone does not tell its shard.
   *
   * @param table the kind's table
   * @param placement the request's placement
   * @param id the row's id
   * @param key the row's key field values by wire name, all or none; a row with another key does
   *     not match
   * @return per shard asked, the row in a list of one, or an empty list
   */
  public <R extends ShardRow> Answers<List<R>> find(
      KindTable<R> table, Placement placement, UUID id, Map<String, Object> key) {
    boolean routed = wholeKey(table.kind(), key);
    return byId(
        table,
        routed ? targets(table.kind(), placement, key) : allPartitions(placement),
        routed ? equals(key) : List.of(),
        id);
  }

  /**
   * Reads the applied offsets of some partitions from the shards that own them in a placement, in
   * parallel, one query per shard. A fenced row (the partition is being switched to another shard)
   * is not read, so such a partition is absent until the placement names its new owner.
   *
   * @param placement the placement that says which shard owns each partition
   * @param partitions the partitions, each below P
   * @param topic the events topic, the key of {@code applied_offsets}
   * @return per shard asked, partition to its applied next offset; a partition never applied is
   *     absent
   */
  public Answers<Map<Integer, Long>> appliedOffsets(
      Placement placement, Collection<Integer> partitions, String topic) {
    Map<String, List<Integer>> targets = new LinkedHashMap<>();
    for (int partition : partitions) {
      targets.computeIfAbsent(placement.shardOf(partition), s -> new ArrayList<>()).add(partition);
    }
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> AppliedOffsets.read(c, topic, targets.get(shard)));
  }

  /**
   * Reads every shard's applied offsets and counts its rows per partition, all in parallel. The
   * offsets wait at most {@code shardpipe.query.query-timeout}; the counts, which scan every row,
   * at most {@code shardpipe.query.stats-timeout}, and a count that takes long says nothing about
   * whether the shard is reachable, so it does not count in the shard's circuit breaker.
   *
   * <p>Every shard of the placement is asked, one that holds no partition too (it answers with
   * nothing, which shows it is reachable). Rows are counted in the partitions placed on each shard;
   * applied offsets are read for those and for the partitions a move is bringing to the shard,
   * whose lag tells how far the move's target is behind.
   *
   * @param placement the request's placement
   * @param incoming per shard, partitions moving to it that are not placed on it yet; may be empty
   * @param topic the events topic, the key of {@code applied_offsets}
   * @return per shard, its offsets and counts, each with its own missing shards
   */
  public StatsReads stats(Placement placement, Map<String, List<Integer>> incoming, String topic) {
    Map<String, List<Integer>> targets = new LinkedHashMap<>();
    Map<String, List<Integer>> offsetTargets = new LinkedHashMap<>();
    for (String shard : placement.shards()) {
      List<Integer> owned = placement.partitionsOf(shard);
      targets.put(shard, owned);
      List<Integer> withIncoming = new ArrayList<>(owned);
      incoming.getOrDefault(shard, List.of()).stream()
          .filter(p -> !owned.contains(p))
          .forEach(withIncoming::add);
      offsetTargets.put(shard, List.copyOf(withIncoming));
    }
    List<String> asked = List.copyOf(targets.keySet());
    ScatterGather.Pending<Map<Integer, Long>> offsets =
        shards.start(
            asked,
            (c, shard) ->
                perPartition(
                    prepare(
                        c,
                        "SELECT partition, next_offset FROM applied_offsets"
                            + " WHERE partition = ANY(?) AND topic = ?",
                        queryTimeoutSeconds),
                    c,
                    offsetTargets.get(shard),
                    topic),
            queryTimeout,
            true);
    ScatterGather.Pending<Map<Integer, Long>> tweets = count(KindTable.TWEETS, asked, targets);
    ScatterGather.Pending<Map<Integer, Long>> files = count(KindTable.FILES, asked, targets);
    return new StatsReads(offsets.await(), tweets.await(), files.await());
  }

  private ScatterGather.Pending<Map<Integer, Long>> count(
      KindTable<?> table, List<String> asked, Map<String, List<Integer>> targets) {
    int seconds = ShardPools.wholeSeconds(statsTimeout);
    return shards.start(
        asked,
        (c, shard) -> {
          // The pool's socket timeout is sized for reads; a long count must not trip it.
          c.setNetworkTimeout(Runnable::run, (int) statsTimeout.toMillis() + 1000);
          return perPartition(
              prepare(
                  c,
                  "SELECT partition, count(*) FROM "
                      + table.kind().table()
                      + " WHERE partition = ANY(?) GROUP BY partition",
                  seconds),
              c,
              targets.get(shard),
              null);
        },
        statsTimeout,
        false);
  }

  /**
   * {@code SELECT ... WHERE partition = ANY(?) [AND column = ?]... [AND (occurred_at, id) < (?, ?)]
   * ORDER BY occurred_at DESC, id DESC LIMIT ?} on each target shard.
   */
  private <R extends ShardRow> Answers<List<R>> newestFirst(
      KindTable<R> table,
      Map<String, List<Integer>> targets,
      List<Equals> key,
      @Nullable Keyset after,
      int fetch) {
    StringBuilder sql = table.select(" WHERE partition = ANY(?)");
    key.forEach(k -> sql.append(" AND ").append(k.column()).append(" = ?"));
    if (after != null) {
      sql.append(" AND (occurred_at, id) < (?, ?)");
    }
    String query = sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?").toString();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query, queryTimeoutSeconds)) {
            int i = bindPartitions(s, 1, c, targets.get(shard));
            i = bindKey(s, i, key);
            if (after != null) {
              s.setObject(i++, OffsetDateTime.ofInstant(after.occurredAt(), ZoneOffset.UTC));
              s.setObject(i++, after.id());
            }
            s.setInt(i, fetch);
            return table.read(s, shard);
          }
        });
  }

  /** {@code SELECT ... WHERE id = ? AND partition = ANY(?) [AND column = ?]...} on each shard. */
  private <R extends ShardRow> Answers<List<R>> byId(
      KindTable<R> table, Map<String, List<Integer>> targets, List<Equals> key, UUID id) {
    StringBuilder sql = table.select(" WHERE id = ? AND partition = ANY(?)");
    key.forEach(k -> sql.append(" AND ").append(k.column()).append(" = ?"));
    String query = sql.toString();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query, queryTimeoutSeconds)) {
            s.setObject(1, id);
            bindKey(s, bindPartitions(s, 2, c, targets.get(shard)), key);
            return table.read(s, shard);
          }
        });
  }

  private static Map<Integer, Long> perPartition(
      PreparedStatement statement, Connection c, List<Integer> partitions, @Nullable String topic)
      throws SQLException {
    try (PreparedStatement s = statement) {
      bindPartitions(s, 1, c, partitions);
      if (topic != null) {
        s.setString(2, topic);
      }
      Map<Integer, Long> values = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          values.put(rs.getInt(1), rs.getLong(2));
        }
      }
      return values;
    }
  }

  private static List<Equals> equals(Map<String, Object> filter) {
    List<Equals> key = new ArrayList<>();
    filter.forEach((column, value) -> key.add(new Equals(column, value)));
    return key;
  }

  private static boolean wholeKey(EventKind kind, Map<String, Object> key) {
    return kind.keyFields().stream().allMatch(f -> key.get(f.name()) != null);
  }

  private Map<String, List<Integer>> targets(
      EventKind kind, Placement placement, Map<String, Object> filter) {
    if (wholeKey(kind, filter)) {
      return onePartition(placement, routing.partitionForKey(kind.shardKey(filter)));
    }
    // A key that starts with a location confines the rows to the location's partitions; any other
    // part alone (an owner's tweets may come from any location) rules no partition out.
    EventField first = kind.keyFields().get(0);
    if (first.type() == EventField.Type.TEXT && filter.get(first.name()) instanceof String place) {
      PartitionRange range = routing.partitionsForLocation(place);
      return partitionsWhere(placement, range::contains);
    }
    return allPartitions(placement);
  }

  private static Map<String, List<Integer>> onePartition(Placement placement, int partition) {
    return Map.of(placement.shardOf(partition), List.of(partition));
  }

  private static Map<String, List<Integer>> allPartitions(Placement placement) {
    return partitionsWhere(placement, p -> true);
  }

  /** The shards holding matching partitions, in placement order, each with its matches. */
  private static Map<String, List<Integer>> partitionsWhere(
      Placement placement, IntPredicate wanted) {
    Map<String, List<Integer>> targets = new LinkedHashMap<>();
    for (String shard : placement.shards()) {
      List<Integer> matches = new ArrayList<>();
      for (int partition : placement.partitionsOf(shard)) {
        if (wanted.test(partition)) {
          matches.add(partition);
        }
      }
      if (!matches.isEmpty()) {
        targets.put(shard, List.copyOf(matches));
      }
    }
    return targets;
  }

  private static PreparedStatement prepare(Connection c, String sql, int timeoutSeconds)
      throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    // The driver cancels the statement on the server, so a slow shard's work stops too, not only
    // the wait for it.
    statement.setQueryTimeout(timeoutSeconds);
    return statement;
  }

  private static int bindPartitions(
      PreparedStatement s, int index, Connection c, List<Integer> partitions) throws SQLException {
    s.setArray(index, c.createArrayOf("int4", partitions.toArray(Integer[]::new)));
    return index + 1;
  }

  private static int bindKey(PreparedStatement s, int index, List<Equals> key) throws SQLException {
    int i = index;
    for (Equals k : key) {
      s.setObject(i++, k.value());
    }
    return i;
  }

  /** A shard-key column and the value a read requires of it. */
  private record Equals(String column, Object value) {}
}
