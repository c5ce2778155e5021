package dev.shardpipe.loadgen.reads;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.loadgen.shards.ShardPools;
import dev.shardpipe.loadgen.sink.SendFailure;
import dev.shardpipe.store.ShardSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The reference of the read benchmark: the statements query-service runs (docs/query-service.md),
 * run directly on the shards over JDBC with no service in between. Like query-service, every
 * request takes the catalog's current snapshot once and limits each statement to the partitions
 * that snapshot places on the shard, so a partition that moves during a run is read from one shard
 * at a time. A routed read is one statement on one shard; a merged read one statement per shard, in
 * parallel, and the newest {@code limit} rows of their union. Each shard has {@code concurrency}
 * connections.
 */
final class SqlReads implements ReadTarget {

  private static final String TWEETS = ShardSchema.TWEETS.name();
  private static final String ROUTED =
      "SELECT "
          + ShardSchema.TWEETS.columnList()
          + " FROM "
          + TWEETS
          + " WHERE partition = ANY(?) AND owner_id = ? AND location = ?"
          + " ORDER BY occurred_at DESC, id DESC LIMIT ?";
  private static final String NEWEST =
      "SELECT "
          + ShardSchema.TWEETS.columnList()
          + " FROM "
          + TWEETS
          + " WHERE partition = ANY(?) ORDER BY occurred_at DESC, id DESC LIMIT ?";
  private static final Comparator<Row> NEWEST_FIRST =
      Comparator.comparing(Row::occurredAt).thenComparing(Row::id).reversed();

  private final Supplier<CatalogSnapshot> catalog;
  private final Routing routing;
  private final int limit;
  private final ShardPools pools;
  private final ExecutorService executor;

  /** The part of a row the merge orders by; the other columns are read as the service reads. */
  private record Row(OffsetDateTime occurredAt, UUID id) {}

  SqlReads(
      Supplier<CatalogSnapshot> catalog,
      String user,
      String password,
      Routing routing,
      int limit,
      int concurrency)
      throws SQLException {
    this.catalog = catalog;
    this.routing = routing;
    this.limit = limit;
    this.pools = new ShardPools(user, password, concurrency);
    CatalogSnapshot now = catalog.get();
    this.executor = Executors.newFixedThreadPool(concurrency * Math.max(1, now.shards().size()));
    try {
      // Opens every pool before the first measured request, and fails early if a shard is down.
      for (String shard : now.shards()) {
        try (Connection c = pools.of(now.shard(shard).orElseThrow()).getConnection()) {
          c.isValid(1);
        }
      }
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<Integer> read(ReadKind kind, long ownerId, String location) {
    CatalogSnapshot placement = catalog.get();
    if (kind == ReadKind.ROUTED) {
      int partition = routing.partitionForTweet(location, ownerId);
      Shard shard = placement.shard(placement.shardOf(partition)).orElseThrow();
      return CompletableFuture.supplyAsync(
              () -> query(shard, ROUTED, List.of(partition), ownerId, location), executor)
          .thenApply(rows -> check(rows.size() >= limit ? limit : rows.size()));
    }
    List<CompletableFuture<List<Row>>> shards = new ArrayList<>();
    for (String name : placement.shards()) {
      List<Integer> partitions = placement.partitionsOf(name);
      if (partitions.isEmpty()) {
        continue;
      }
      Shard shard = placement.shard(name).orElseThrow();
      shards.add(
          CompletableFuture.supplyAsync(
              () -> query(shard, NEWEST, partitions, -1, null), executor));
    }
    return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<Row> all = new ArrayList<>();
              shards.forEach(s -> all.addAll(s.join()));
              all.sort(NEWEST_FIRST);
              return check(Math.min(limit, all.size()));
            });
  }

  private int check(int rows) {
    if (rows != limit) {
      throw new SendFailure("short page", rows + " rows for limit " + limit);
    }
    return rows;
  }

  private List<Row> query(
      Shard shard, String sql, List<Integer> partitions, long ownerId, String location) {
    try (Connection c = pools.of(shard).getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setArray(i++, c.createArrayOf("int4", partitions.toArray(Integer[]::new)));
      if (location != null) {
        s.setLong(i++, ownerId);
        s.setString(i++, location);
      }
      // As query-service: one row more than the page tells whether a next page exists.
      s.setInt(i, limit + 1);
      List<Row> rows = new ArrayList<>(limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rs.getString("location");
          rs.getLong("owner_id");
          rs.getString("text");
          rs.getInt("like_count");
          rs.getInt("partition");
          rs.getObject("ingested_at", OffsetDateTime.class);
          rows.add(
              new Row(
                  rs.getObject("occurred_at", OffsetDateTime.class),
                  rs.getObject("id", UUID.class)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new SendFailure("sql " + e.getSQLState(), String.valueOf(e.getMessage()));
    }
  }

  @Override
  public String description() {
    return "SQL on the shards " + catalog.get().shards();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    pools.close();
  }
}
