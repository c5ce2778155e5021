package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.FileMetadata;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-table statements that write a batch's rows into one partition's child tables, set-based:
 * one statement per table and operation, with the batch passed as arrays and expanded by {@code
 * unnest} (docs/architecture.md, "The writer's statements"). The version rule lives in the
 * statements, so applying any event twice changes nothing. Runs in the caller's transaction.
 */
final class EventRows {

  /**
   * Upserts tweets into one partition's child tables ({@code %1$s} the rows, {@code %2$s} the
   * tombstones), so that PostgreSQL neither routes each row through the parent nor plans every
   * partition's child before pruning to one.
   */
  private static final String UPSERT_TWEETS =
      """
      WITH input (id, location, owner_id, text, like_count, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[], ?::bigint[], ?::text[],
                                               ?::integer[], ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM %2$s t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO %1$s AS t (id, location, owner_id, text, like_count, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM %2$s d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET
          location = EXCLUDED.location, owner_id = EXCLUDED.owner_id, text = EXCLUDED.text,
          like_count = EXCLUDED.like_count, occurred_at = EXCLUDED.occurred_at,
          ingested_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
         OR (t.occurred_at = EXCLUDED.occurred_at
             AND (t.location, t.owner_id, t.text, t.like_count)
                 IS DISTINCT FROM (EXCLUDED.location, EXCLUDED.owner_id, EXCLUDED.text,
                                   EXCLUDED.like_count))
      """;

  /** Upserts file metadata into one partition's child tables, as {@link #UPSERT_TWEETS}. */
  private static final String UPSERT_FILES =
      """
      WITH input (id, user_id, file_name, size_bytes, content_type, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::bigint[], ?::text[], ?::bigint[],
                                               ?::text[], ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM %2$s t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO %1$s AS f
          (id, user_id, file_name, size_bytes, content_type, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM %2$s d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET
          user_id = EXCLUDED.user_id, file_name = EXCLUDED.file_name,
          size_bytes = EXCLUDED.size_bytes, content_type = EXCLUDED.content_type,
          occurred_at = EXCLUDED.occurred_at, ingested_at = now()
      WHERE f.occurred_at < EXCLUDED.occurred_at
         OR (f.occurred_at = EXCLUDED.occurred_at
             AND (f.user_id, f.file_name, f.size_bytes, f.content_type)
                 IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.file_name, EXCLUDED.size_bytes,
                                   EXCLUDED.content_type))
      """;

  /**
   * Deletes rows that are not newer, then leaves a tombstone unless a newer row remains; {@code
   * %1$s} is the partition's child of the rows, {@code %2$s} that of the tombstones.
   */
  private static final String DELETE =
      """
      WITH input (id, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) AS u
      ), deleted AS (
          DELETE FROM %1$s r USING input i
          WHERE r.id = i.id AND r.occurred_at <= i.occurred_at
      )
      INSERT INTO %2$s AS t (id, occurred_at, partition)
      SELECT i.id, i.occurred_at, i.partition FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM %1$s r
                        WHERE r.id = i.id AND r.occurred_at > i.occurred_at)
      ON CONFLICT (id, partition) DO UPDATE SET occurred_at = EXCLUDED.occurred_at,
                                                deleted_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
      """;

  private EventRows() {}

  /**
   * Writes the rows of one batch and returns how many rows and tombstones changed. The partition's
   * children must exist.
   */
  static int write(Connection c, int partition, Split split) throws SQLException {
    return upsertTweets(c, partition, split.tweetUpserts())
        + upsertFiles(c, partition, split.fileUpserts())
        + delete(
            c, ShardSchema.TWEETS, ShardSchema.TWEET_TOMBSTONES, partition, split.tweetDeletes())
        + delete(
            c,
            ShardSchema.FILE_METADATA,
            ShardSchema.FILE_METADATA_TOMBSTONES,
            partition,
            split.fileDeletes());
  }

  /** A batch's events by table and operation, one statement each. */
  record Split(
      List<TweetEvent> tweetUpserts,
      List<TweetEvent> tweetDeletes,
      List<FileEvent> fileUpserts,
      List<FileEvent> fileDeletes) {

    static Split of(List<Event> events) {
      Split split =
          new Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (Event event : events) {
        if (event instanceof TweetEvent tweet) {
          (tweet.op() == Op.UPSERT ? split.tweetUpserts : split.tweetDeletes).add(tweet);
        } else if (event instanceof FileEvent file) {
          (file.op() == Op.UPSERT ? split.fileUpserts : split.fileDeletes).add(file);
        }
      }
      return split;
    }

    int upserts() {
      return tweetUpserts.size() + fileUpserts.size();
    }

    int deletes() {
      return tweetDeletes.size() + fileDeletes.size();
    }
  }

  private static int upsertTweets(Connection c, int partition, List<TweetEvent> events)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    int n = events.size();
    String[] ids = new String[n];
    String[] locations = new String[n];
    long[] owners = new long[n];
    String[] texts = new String[n];
    int[] likes = new int[n];
    String[] times = new String[n];
    for (int i = 0; i < n; i++) {
      TweetEvent e = events.get(i);
      Tweet t = e.data();
      ids[i] = e.id().toString();
      locations[i] = t.location();
      owners[i] = t.ownerId();
      texts[i] = t.text();
      likes[i] = t.likeCount();
      times[i] = e.occurredAt().toString();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            onChildren(
                UPSERT_TWEETS, ShardSchema.TWEETS, ShardSchema.TWEET_TOMBSTONES, partition))) {
      s.setInt(1, partition);
      s.setObject(2, ids);
      s.setObject(3, locations);
      s.setObject(4, owners);
      s.setObject(5, texts);
      s.setObject(6, likes);
      s.setObject(7, times);
      return s.executeUpdate();
    }
  }

  private static int upsertFiles(Connection c, int partition, List<FileEvent> events)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    int n = events.size();
    String[] ids = new String[n];
    long[] users = new long[n];
    String[] names = new String[n];
    Long[] sizes = new Long[n];
    String[] types = new String[n];
    String[] times = new String[n];
    for (int i = 0; i < n; i++) {
      FileEvent e = events.get(i);
      FileMetadata f = e.data();
      ids[i] = e.id().toString();
      users[i] = f.userId();
      names[i] = f.fileName();
      sizes[i] = f.sizeBytes();
      types[i] = f.contentType();
      times[i] = e.occurredAt().toString();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            onChildren(
                UPSERT_FILES,
                ShardSchema.FILE_METADATA,
                ShardSchema.FILE_METADATA_TOMBSTONES,
                partition))) {
      s.setInt(1, partition);
      s.setObject(2, ids);
      s.setObject(3, users);
      s.setObject(4, names);
      s.setObject(5, sizes);
      s.setObject(6, types);
      s.setObject(7, times);
      return s.executeUpdate();
    }
  }

  private static int delete(
      Connection c,
      ShardTable rows,
      ShardTable tombstones,
      int partition,
      List<? extends Event> events)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    int n = events.size();
    String[] ids = new String[n];
    String[] times = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = events.get(i).id().toString();
      times[i] = events.get(i).occurredAt().toString();
    }
    try (PreparedStatement s =
        c.prepareStatement(onChildren(DELETE, rows, tombstones, partition))) {
      s.setInt(1, partition);
      s.setObject(2, ids);
      s.setObject(3, times);
      return s.executeUpdate();
    }
  }

  /**
   * Names one partition's child tables in a statement: {@code %1$s} the rows, {@code %2$s} the
   * tombstones. The children exist: the store ensures them before it writes.
   */
  private static String onChildren(
      String template, ShardTable rows, ShardTable tombstones, int partition) {
    return String.format(template, rows.childName(partition), tombstones.childName(partition));
  }
}
