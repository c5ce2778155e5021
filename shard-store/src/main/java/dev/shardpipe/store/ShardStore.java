package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.FileMetadata;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.util.PSQLException;

/**
 * The shard's database as the writer sees it: the SPEC 5 tables, and one transaction per partition
 * batch that writes its rows and advances {@code applied_offsets} together, so that rows and
 * offsets can never disagree whatever fails (SPEC 8).
 *
 * <p>Rows are written set-based, one statement per table and operation, with the batch passed as
 * arrays and expanded by {@code unnest}. The arrays go as {@code text[]}, {@code bigint[]} and
 * {@code integer[]}, which the driver sends in PostgreSQL's binary format (no quoting in the
 * driver, no array parsing in the server); ids and times are cast from text in the statement, and
 * the partition, the same for every row, is one parameter. The version rule of SPEC 3 lives in the
 * statements: an upsert replaces a row or tombstone only when its {@code occurred_at} is not older,
 * a delete likewise, so applying any event twice changes nothing.
 *
 * <p>Not thread-safe for one partition: each partition is written by one thread at a time.
 */
public final class ShardStore {

  private static final String UPSERT_TWEETS =
      """
      WITH input (id, location, owner_id, text, like_count, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[], ?::bigint[], ?::text[],
                                               ?::integer[], ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM tweet_tombstones t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO tweets AS t (id, location, owner_id, text, like_count, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM tweet_tombstones d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id) DO UPDATE SET
          location = EXCLUDED.location, owner_id = EXCLUDED.owner_id, text = EXCLUDED.text,
          like_count = EXCLUDED.like_count, occurred_at = EXCLUDED.occurred_at,
          partition = EXCLUDED.partition, ingested_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
         OR (t.occurred_at = EXCLUDED.occurred_at
             AND (t.location, t.owner_id, t.text, t.like_count, t.partition)
                 IS DISTINCT FROM (EXCLUDED.location, EXCLUDED.owner_id, EXCLUDED.text,
                                   EXCLUDED.like_count, EXCLUDED.partition))
      """;

  private static final String UPSERT_FILES =
      """
      WITH input (id, user_id, file_name, size_bytes, content_type, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::bigint[], ?::text[], ?::bigint[],
                                               ?::text[], ?::text[]::timestamptz[]) AS u
      ), cleared AS (
          DELETE FROM file_metadata_tombstones t USING input i
          WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
      )
      INSERT INTO file_metadata AS f
          (id, user_id, file_name, size_bytes, content_type, occurred_at, partition)
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM file_metadata_tombstones d
                        WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
      ON CONFLICT (id) DO UPDATE SET
          user_id = EXCLUDED.user_id, file_name = EXCLUDED.file_name,
          size_bytes = EXCLUDED.size_bytes, content_type = EXCLUDED.content_type,
          occurred_at = EXCLUDED.occurred_at, partition = EXCLUDED.partition,
          ingested_at = now()
      WHERE f.occurred_at < EXCLUDED.occurred_at
         OR (f.occurred_at = EXCLUDED.occurred_at
             AND (f.user_id, f.file_name, f.size_bytes, f.content_type, f.partition)
                 IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.file_name, EXCLUDED.size_bytes,
                                   EXCLUDED.content_type, EXCLUDED.partition))
      """;

  /** Deletes rows that are not newer, then leaves a tombstone unless a newer row remains. */
  private static final String DELETE_TEMPLATE =
      """
      WITH input (id, occurred_at, partition) AS (
          SELECT u.*, ?::integer FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) AS u
      ), deleted AS (
          DELETE FROM %1$s r USING input i WHERE r.id = i.id AND r.occurred_at <= i.occurred_at
      )
      INSERT INTO %2$s AS t (id, occurred_at, partition)
      SELECT i.id, i.occurred_at, i.partition FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM %1$s r WHERE r.id = i.id AND r.occurred_at > i.occurred_at)
      ON CONFLICT (id) DO UPDATE SET occurred_at = EXCLUDED.occurred_at,
                                     partition = EXCLUDED.partition, deleted_at = now()
      WHERE t.occurred_at < EXCLUDED.occurred_at
      """;

  private static final String DELETE_TWEETS =
      String.format(DELETE_TEMPLATE, "tweets", "tweet_tombstones");
  private static final String DELETE_FILES =
      String.format(DELETE_TEMPLATE, "file_metadata", "file_metadata_tombstones");

  /**
   * Advances the offset only from the value this writer expects (compare-and-set), so that two
   * writers of one shard cannot both apply a partition unnoticed, and only forward, so that a batch
   * read from behind the applied offset can never move it back.
   */
  private static final String ADVANCE_OFFSET =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset) VALUES (?, ?, ?)
      ON CONFLICT (topic, partition) DO UPDATE
          SET next_offset = EXCLUDED.next_offset, updated_at = now()
      WHERE a.next_offset IS NOT DISTINCT FROM ?::bigint
        AND EXCLUDED.next_offset > a.next_offset
      """;

  private static final String READ_OFFSETS =
      "SELECT partition, next_offset FROM applied_offsets WHERE topic = ?";

  private static final String READ_OFFSET =
      "SELECT next_offset FROM applied_offsets WHERE topic = ? AND partition = ?";

  private final DataSource dataSource;
  private final String shard;
  private final String topic;

  /**
   * Creates the store.
   *
   * @param dataSource the shard's database, with auto-commit off
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(DataSource dataSource, String shard, String topic) {
    this.dataSource = dataSource;
    this.shard = shard;
    this.topic = topic;
  }

  /**
   * Creates or upgrades the tables with the versioned migrations in {@code db/migration}.
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails or the database is not
   *     reachable
   */
  public void migrate() {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /**
   * Reads where each partition resumes.
   *
   * @param partitions the partitions to read
   * @return the next offset to apply per partition; a partition never applied is absent
   * @throws SQLException if the database fails
   */
  public Map<Integer, Long> appliedOffsets(Collection<Integer> partitions) throws SQLException {
    Map<Integer, Long> offsets = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement read = c.prepareStatement(READ_OFFSETS)) {
      read.setString(1, topic);
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          if (partitions.contains(rs.getInt(1))) {
            offsets.put(rs.getInt(1), rs.getLong(2));
          }
        }
      }
      c.rollback();
    }
    return offsets;
  }

  /**
   * Applies one partition's events and advances its offset in one transaction.
   *
   * @param partition the partition the events were consumed from
   * @param events at most one event per id, each routed to this partition
   * @param expectedNextOffset the value {@code applied_offsets} must hold now, null when the
   *     partition has no row yet
   * @param nextOffset the offset to resume from once these events are applied
   * @return what was done
   * @throws SQLException if the database fails; nothing was committed. {@link
   *     SqlErrors#isDataError} tells when the data itself was refused, and {@link #findRefused}
   *     then finds the events responsible
   * @throws OffsetFencedException if another writer moved the partition's offset
   * @throws IllegalStateException if {@code nextOffset} is not above the applied offset: the offset
   *     only moves forward
   */
  public AppliedBatch apply(
      int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
      throws SQLException {
    Split split = Split.of(events);
    int written;
    try (Connection c = dataSource.getConnection()) {
      try {
        written = write(c, partition, split);
        if (!advance(c, partition, expectedNextOffset, nextOffset)) {
          c.rollback();
          return alreadyCommittedOrFenced(c, partition, expectedNextOffset, nextOffset);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
    return new AppliedBatch(
        partition, nextOffset, split.upserts(), split.deletes(), written, false);
  }

  /**
   * Finds the events the database refuses to store, by bisection in one transaction that is always
   * rolled back: the events are written under a savepoint, and a part that fails with a data error
   * ({@link SqlErrors#isDataError}) is rolled back to its savepoint and split in two, until single
   * events remain. Costs about {@code 2 * k * log2(n)} statements for {@code k} refused events
   * among {@code n}; the writer only calls it after {@link #apply} failed with a data error.
   *
   * @param partition the partition the events were consumed from
   * @param events the events {@link #apply} refused, at most one per id
   * @return the refused events in list order; empty when each part is accepted on its own, which
   *     means no single event is to blame
   * @throws SQLException if the database fails for another reason than the data; nothing is
   *     committed either way
   */
  public List<RefusedEvent> findRefused(int partition, List<Event> events) throws SQLException {
    List<RefusedEvent> refused = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try {
        bisect(c, partition, events, 0, events.size(), refused);
      } finally {
        c.rollback();
      }
    }
    return refused;
  }

  private void bisect(
      Connection c, int partition, List<Event> events, int from, int to, List<RefusedEvent> refused)
      throws SQLException {
    Savepoint savepoint = c.setSavepoint();
    try {
      write(c, partition, Split.of(events.subList(from, to)));
      c.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      if (!SqlErrors.isDataError(e)) {
        throw e;
      }
      c.rollback(savepoint);
      if (to - from == 1) {
        refused.add(new RefusedEvent(from, e.getSQLState(), serverMessage(e)));
        return;
      }
      int middle = (from + to) >>> 1;
      bisect(c, partition, events, from, middle, refused);
      bisect(c, partition, events, middle, to, refused);
    }
  }

  /** PostgreSQL's primary message, without the driver's location and detail lines. */
  private static String serverMessage(SQLException e) {
    if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      String message = psql.getServerErrorMessage().getMessage();
      if (message != null) {
        return message;
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** Writes the rows of one batch and returns how many rows and tombstones changed. */
  private int write(Connection c, int partition, Split split) throws SQLException {
    return upsertTweets(c, partition, split.tweetUpserts())
        + upsertFiles(c, partition, split.fileUpserts())
        + delete(c, DELETE_TWEETS, partition, split.tweetDeletes())
        + delete(c, DELETE_FILES, partition, split.fileDeletes());
  }

  /** A batch's events by table and operation, one statement each. */
  private record Split(
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

  private int upsertTweets(Connection c, int partition, List<TweetEvent> events)
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
    try (PreparedStatement s = c.prepareStatement(UPSERT_TWEETS)) {
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

  private int upsertFiles(Connection c, int partition, List<FileEvent> events) throws SQLException {
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
    try (PreparedStatement s = c.prepareStatement(UPSERT_FILES)) {
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

  private static int delete(Connection c, String sql, int partition, List<? extends Event> events)
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
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setInt(1, partition);
      s.setObject(2, ids);
      s.setObject(3, times);
      return s.executeUpdate();
    }
  }

  private boolean advance(Connection c, int partition, @Nullable Long expected, long nextOffset)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ADVANCE_OFFSET)) {
      s.setString(1, topic);
      s.setInt(2, partition);
      s.setLong(3, nextOffset);
      if (expected == null) {
        s.setNull(4, Types.BIGINT);
      } else {
        s.setLong(4, expected);
      }
      return s.executeUpdate() == 1;
    }
  }

  /**
   * The offset did not advance. Either an earlier attempt of this very transaction committed and
   * only its acknowledgement was lost (the row already holds our target), or the batch would have
   * moved the offset back (a bug in the caller), or another writer moved it.
   */
  private AppliedBatch alreadyCommittedOrFenced(
      Connection c, int partition, @Nullable Long expected, long nextOffset) throws SQLException {
    Long actual = null;
    try (PreparedStatement s = c.prepareStatement(READ_OFFSET)) {
      s.setString(1, topic);
      s.setInt(2, partition);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          actual = rs.getLong(1);
        }
      }
    } finally {
      c.rollback();
    }
    if (actual != null && actual == nextOffset) {
      return new AppliedBatch(partition, nextOffset, 0, 0, 0, true);
    }
    if (actual != null && actual.equals(expected)) {
      throw new IllegalStateException(
          "shard ["
              + shard
              + "] partition ["
              + partition
              + "]: refusing to move applied_offsets back from "
              + actual
              + " to "
              + nextOffset
              + "; the batch was read from behind the applied offset");
    }
    throw new OffsetFencedException(
        "shard ["
            + shard
            + "] partition ["
            + partition
            + "]: applied_offsets holds "
            + actual
            + " where this writer expected "
            + expected
            + "; another writer of shard "
            + shard
            + " is applying this partition, and only one writer per shard may run");
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
