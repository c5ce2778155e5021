package dev.shardpipe.query.shard;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.PartitionRange;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.Keyset;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The reads of SPEC 7, shard by shard. Decides from routing and placement (SPEC 4) which shards a
 * read must ask, asks them in parallel, and returns each shard's rows newest first; merging them
 * into a page is the caller's.
 *
 * <p>Every statement is restricted to the partitions placed on the shard it runs on ({@code
 * partition = ANY(?)}), and to the one partition a routed read names. A shard therefore answers
 * only for what placement says it owns: once partitions move between shards (SPEC 4 roadmap), rows
 * of a partition still being copied are neither read twice nor read from the wrong shard.
 *
 * <p>Lists use keyset pagination: {@code (occurred_at, id) < (?, ?) ORDER BY occurred_at DESC, id
 * DESC LIMIT ?}, which the {@code *_newest} indexes of the V1 migration serve without scanning
 * skipped rows as {@code OFFSET} would.
 */
@Singleton
public final class ShardReader {

  private static final String TWEET_COLUMNS =
      "id, location, owner_id, text, like_count, occurred_at, partition, ingested_at";

  private static final String FILE_COLUMNS =
      "id, user_id, file_name, size_bytes, content_type, occurred_at, partition, ingested_at";

  private static final String NEWEST_FIRST = " ORDER BY occurred_at DESC, id DESC LIMIT ?";

  private static final String AFTER = " AND (occurred_at, id) < (?, ?)";

  private final Routing routing;
  private final Placement placement;
  private final ScatterGather shards;
  private final int queryTimeoutSeconds;

  ShardReader(
      Routing routing, Placement placement, ScatterGather shards, QueryConfiguration config) {
    this.routing = routing;
    this.placement = placement;
    this.shards = shards;
    this.queryTimeoutSeconds = ShardPools.wholeSeconds(config.queryTimeout());
  }

  /**
   * Reads a page of tweets from every shard the filter needs.
   *
   * @param filter owner and location, each optional
   * @param after the position to continue after, or null for the newest
   * @param fetch rows to read per shard, {@code >= 1}
   * @return per shard, up to {@code fetch} rows newest first
   */
  public Answers<List<TweetRow>> tweets(TweetFilter filter, @Nullable Keyset after, int fetch) {
    Map<String, List<Integer>> targets = tweetTargets(filter);
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(TWEET_COLUMNS)
            .append(" FROM tweets WHERE partition = ANY(?)");
    if (filter.ownerId() != null) {
      sql.append(" AND owner_id = ?");
    }
    if (filter.location() != null) {
      sql.append(" AND location = ?");
    }
    if (after != null) {
      sql.append(AFTER);
    }
    String query = sql.append(NEWEST_FIRST).toString();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query)) {
            int i = bindPartitions(s, 1, c, targets.get(shard));
            if (filter.ownerId() != null) {
              s.setLong(i++, filter.ownerId());
            }
            if (filter.location() != null) {
              s.setString(i++, filter.location());
            }
            i = bindAfter(s, i, after);
            s.setInt(i, fetch);
            return readTweets(s, shard);
          }
        });
  }

  /**
   * Reads a page of file metadata from the shard of a user, or from every shard.
   *
   * @param userId only files of this user, or null for any
   * @param after the position to continue after, or null for the newest
   * @param fetch rows to read per shard, {@code >= 1}
   * @return per shard, up to {@code fetch} rows newest first
   */
  public Answers<List<FileRow>> files(@Nullable Long userId, @Nullable Keyset after, int fetch) {
    Map<String, List<Integer>> targets =
        userId == null ? allPartitions() : onePartition(routing.partitionForFile(userId));
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(FILE_COLUMNS)
            .append(" FROM file_metadata WHERE partition = ANY(?)");
    if (userId != null) {
      sql.append(" AND user_id = ?");
    }
    if (after != null) {
      sql.append(AFTER);
    }
    String query = sql.append(NEWEST_FIRST).toString();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query)) {
            int i = bindPartitions(s, 1, c, targets.get(shard));
            if (userId != null) {
              s.setLong(i++, userId);
            }
            i = bindAfter(s, i, after);
            s.setInt(i, fetch);
            return readFiles(s, shard);
          }
        });
  }

  /**
   * Looks a tweet up on every shard, since an id does not tell its shard.
   *
   * @param id the tweet's id
   * @return per shard, the row in a list of one, or an empty list
   */
  public Answers<List<TweetRow>> tweet(UUID id) {
    String query = "SELECT " + TWEET_COLUMNS + " FROM tweets WHERE id = ? AND partition = ANY(?)";
    Map<String, List<Integer>> targets = allPartitions();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query)) {
            s.setObject(1, id);
            bindPartitions(s, 2, c, targets.get(shard));
            return readTweets(s, shard);
          }
        });
  }

  /**
   * Looks a file up on every shard, since an id does not tell its shard.
   *
   * @param id the file's id
   * @return per shard, the row in a list of one, or an empty list
   */
  public Answers<List<FileRow>> file(UUID id) {
    String query =
        "SELECT " + FILE_COLUMNS + " FROM file_metadata WHERE id = ? AND partition = ANY(?)";
    Map<String, List<Integer>> targets = allPartitions();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          try (PreparedStatement s = prepare(c, query)) {
            s.setObject(1, id);
            bindPartitions(s, 2, c, targets.get(shard));
            return readFiles(s, shard);
          }
        });
  }

  /**
   * Counts every shard's rows per partition and reads its applied offsets.
   *
   * @param topic the events topic, the key of {@code applied_offsets}
   * @return per shard, its counts
   */
  public Answers<ShardCounts> counts(String topic) {
    Map<String, List<Integer>> targets = allPartitions();
    return shards.ask(
        List.copyOf(targets.keySet()),
        (c, shard) -> {
          List<Integer> partitions = targets.get(shard);
          return new ShardCounts(
              perPartition(
                  c,
                  "SELECT partition, count(*) FROM tweets WHERE partition = ANY(?)"
                      + " GROUP BY partition",
                  partitions,
                  null),
              perPartition(
                  c,
                  "SELECT partition, count(*) FROM file_metadata WHERE partition = ANY(?)"
                      + " GROUP BY partition",
                  partitions,
                  null),
              perPartition(
                  c,
                  "SELECT partition, next_offset FROM applied_offsets"
                      + " WHERE partition = ANY(?) AND topic = ?",
                  partitions,
                  topic));
        });
  }

  private Map<Integer, Long> perPartition(
      Connection c, String sql, List<Integer> partitions, @Nullable String topic)
      throws SQLException {
    try (PreparedStatement s = prepare(c, sql)) {
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

  private Map<String, List<Integer>> tweetTargets(TweetFilter filter) {
    if (filter.location() == null) {
      // An owner's tweets may come from any location, so no partition can be ruled out.
      return allPartitions();
    }
    if (filter.ownerId() != null) {
      return onePartition(routing.partitionForTweet(filter.location(), filter.ownerId()));
    }
    PartitionRange range = routing.partitionsForLocation(filter.location());
    return partitionsWhere(range::contains);
  }

  private Map<String, List<Integer>> onePartition(int partition) {
    return Map.of(placement.shardOf(partition), List.of(partition));
  }

  private Map<String, List<Integer>> allPartitions() {
    return partitionsWhere(p -> true);
  }

  /** The shards holding matching partitions, in placement order, each with its matches. */
  private Map<String, List<Integer>> partitionsWhere(IntPredicate wanted) {
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

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    // The driver cancels the statement on the server, so a slow shard's work stops too, not only
    // the wait for it.
    statement.setQueryTimeout(queryTimeoutSeconds);
    return statement;
  }

  private static int bindPartitions(
      PreparedStatement s, int index, Connection c, List<Integer> partitions) throws SQLException {
    s.setArray(index, c.createArrayOf("int4", partitions.toArray(Integer[]::new)));
    return index + 1;
  }

  private static int bindAfter(PreparedStatement s, int index, @Nullable Keyset after)
      throws SQLException {
    if (after == null) {
      return index;
    }
    s.setObject(index, OffsetDateTime.ofInstant(after.occurredAt(), ZoneOffset.UTC));
    s.setObject(index + 1, after.id());
    return index + 2;
  }

  private static List<TweetRow> readTweets(PreparedStatement s, String shard) throws SQLException {
    List<TweetRow> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new TweetRow(
                rs.getObject("id", UUID.class),
                rs.getString("location"),
                rs.getLong("owner_id"),
                rs.getString("text"),
                rs.getInt("like_count"),
                instant(rs, "occurred_at"),
                rs.getInt("partition"),
                shard,
                instant(rs, "ingested_at")));
      }
    }
    return rows;
  }

  private static List<FileRow> readFiles(PreparedStatement s, String shard) throws SQLException {
    List<FileRow> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new FileRow(
                rs.getObject("id", UUID.class),
                rs.getLong("user_id"),
                rs.getString("file_name"),
                rs.getObject("size_bytes", Long.class),
                rs.getString("content_type"),
                instant(rs, "occurred_at"),
                rs.getInt("partition"),
                shard,
                instant(rs, "ingested_at")));
      }
    }
    return rows;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
