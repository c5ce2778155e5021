package dev.shardpipe.loadgen.reads;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.loadgen.sink.SendFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The reference of the read benchmark: the statements query-service runs (docs/query-service.md),
 * run directly on the shards over JDBC with no service in between. A routed read is one statement
 * on one shard; a merged read one statement per shard, in parallel, and the newest {@code limit}
 * rows of their union. Each shard has {@code concurrency} connections.
 */
final class SqlReads implements ReadTarget {

  private static final String COLUMNS =
      "id, location, owner_id, text, like_count, occurred_at, partition, ingested_at";
  private static final String ROUTED =
      "SELECT "
          + COLUMNS
          + " FROM tweets WHERE partition = ANY(?) AND owner_id = ? AND location = ?"
          + " ORDER BY occurred_at DESC, id DESC LIMIT ?";
  private static final String NEWEST =
      "SELECT "
          + COLUMNS
          + " FROM tweets WHERE partition = ANY(?) ORDER BY occurred_at DESC, id DESC LIMIT ?";
  private static final Comparator<Row> NEWEST_FIRST =
      Comparator.comparing(Row::occurredAt).thenComparing(Row::id).reversed();

  private final Routing routing;
  private final Placement placement;
  private final int limit;
  private final Map<String, BlockingQueue<Connection>> pools = new LinkedHashMap<>();
  private final ExecutorService executor;

  /** The part of a row the merge orders by; the other columns are read as the service reads. */
  private record Row(OffsetDateTime occurredAt, UUID id) {}

  SqlReads(
      String urlTemplate,
      String user,
      String password,
      Routing routing,
      Placement placement,
      int limit,
      int concurrency)
      throws SQLException {
    this.routing = routing;
    this.placement = placement;
    this.limit = limit;
    this.executor = Executors.newFixedThreadPool(concurrency * placement.shards().size());
    try {
      for (String shard : placement.shards()) {
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
          pool.add(
              DriverManager.getConnection(urlTemplate.replace("{shard}", shard), user, password));
        }
        pools.put(shard, pool);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<Integer> read(ReadKind kind, long ownerId, String location) {
    if (kind == ReadKind.ROUTED) {
      int partition = routing.partitionForTweet(location, ownerId);
      return CompletableFuture.supplyAsync(
              () ->
                  query(
                      placement.shardOf(partition), ROUTED, List.of(partition), ownerId, location),
              executor)
          .thenApply(rows -> check(rows.size() >= limit ? limit : rows.size()));
    }
    List<CompletableFuture<List<Row>>> shards = new ArrayList<>();
    for (String shard : placement.shards()) {
      shards.add(
          CompletableFuture.supplyAsync(
              () -> query(shard, NEWEST, placement.partitionsOf(shard), -1, null), executor));
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
      String shard, String sql, List<Integer> partitions, long ownerId, String location) {
    BlockingQueue<Connection> pool = pools.get(shard);
    Connection c;
    try {
      c = pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
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
    } finally {
      pool.add(c);
    }
  }

  @Override
  public String description() {
    return "SQL on the shards " + placement.shards();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    for (BlockingQueue<Connection> pool : pools.values()) {
      for (Connection c : pool) {
        try {
          c.close();
        } catch (SQLException e) {
          // Closing at the end of a run; nothing is left to do with it.
        }
      }
    }
  }
}
