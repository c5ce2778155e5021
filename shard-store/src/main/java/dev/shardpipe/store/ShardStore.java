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
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard's database as the writer sees it: the tables of {@link ShardSchema}, and one
 * transaction per partition batch that writes its rows and advances {@code applied_offsets}
 * together, so that rows and offsets can never disagree whatever fails (docs/architecture.md, "The
 * writer's transaction").
 *
 * <p>Rows are written set-based, one statement per table and operation, with the batch passed as
 * arrays and expanded by {@code unnest}. The arrays go as {@code text[]}, {@code bigint[]} and
 * {@code integer[]}, which the driver sends in PostgreSQL's binary format (no quoting in the
 * driver, no array parsing in the server); ids and times are cast from text in the statement, and
 * the partition, the same for every row, is one parameter. The statements name the partition's
 * child tables ({@code tweets_p5}, {@code tweet_tombstones_p5}) rather than the partitioned
 * parents: PostgreSQL then plans one table instead of pruning every child, and inserts without
 * routing each row (docs/architecture.md, "The writer's statements"). The version rule lives in the
 * statements: an upsert replaces a row or tombstone only when its {@code occurred_at} is not older,
 * a delete likewise, so applying any event twice changes nothing.
 *
 * <p>Moving a partition to another shard (docs/architecture.md, "The shard schema") uses {@link
 * #ensurePartitions}, {@link #fence}, {@link #dropPartition} and {@link PartitionCopy}.
 *
 * <p>Not thread-safe for one partition: each partition is written by one thread at a time.
 */
public final class ShardStore {

  private static final Logger LOG = LoggerFactory.getLogger(ShardStore.class);

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

  /**
   * Advances the offset only from the value this writer expects (compare-and-set), so that two
   * writers of one shard cannot both apply a partition unnoticed, only forward, so that a batch
   * read from behind the applied offset can never move it back, and only while the partition is not
   * fenced, so that a shard the partition moved away from cannot commit it any more.
   */
  private static final String ADVANCE_OFFSET =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset) VALUES (?, ?, ?)
      ON CONFLICT (topic, partition) DO UPDATE
          SET next_offset = EXCLUDED.next_offset, updated_at = now()
      WHERE a.next_offset IS NOT DISTINCT FROM ?::bigint
        AND EXCLUDED.next_offset > a.next_offset
        AND a.fenced_at IS NULL
      """;

  /**
   * Fences a partition: a missing row is inserted fenced at 0, a fenced row keeps its first fence
   * time. Waits for the row lock a writer's in-flight commit of the partition holds, so the offset
   * returned covers every batch that will ever commit here.
   */
  private static final String FENCE =
      """
      INSERT INTO applied_offsets AS a (topic, partition, next_offset, fenced_at)
      VALUES (?, ?, 0, now())
      ON CONFLICT (topic, partition) DO UPDATE SET fenced_at = coalesce(a.fenced_at, now())
      RETURNING a.next_offset
      """;

  /** How long one attempt of a detach may wait for its locks before it is tried again. */
  private static final String DROP_LOCK_TIMEOUT = "5s";

  /** How many times {@link #dropPartition} tries a detach that keeps waiting for locks. */
  private static final int DROP_ATTEMPTS = 5;

  private final DataSource dataSource;
  private final DataSource schemaSource;
  private final @Nullable SchemaGrants grants;
  private final String shard;
  private final String topic;

  /** Partitions whose children this store has ensured, so that each costs one check per process. */
  private final Set<Integer> ensured = ConcurrentHashMap.newKeySet();

  /**
   * Creates the store.
   *
   * @param dataSource the shard's database, with auto-commit off
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(DataSource dataSource, String shard, String topic) {
    this(dataSource, dataSource, shard, topic);
  }

  /**
   * Creates a store that changes the schema as another role than it writes rows as: the writers
   * write as a role that may not create or drop tables (docs/security.md).
   *
   * @param dataSource the shard's database as the role that reads and writes rows, auto-commit off
   * @param schemaSource the same database as the tables' owner, for the migrations and for creating
   *     and dropping partition tables, auto-commit off
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(DataSource dataSource, DataSource schemaSource, String shard, String topic) {
    this(dataSource, schemaSource, null, shard, topic);
  }

  /**
   * What {@link #migrate} does as the owner after the migrations: grant the roles that read and
   * write the rows ({@link ShardRoles}).
   */
  @FunctionalInterface
  public interface SchemaGrants {

    /**
     * Grants, in the shard's database.
     *
     * @param owner a connection as the tables' owner, auto-commit off; committed afterwards
     * @throws SQLException if the server refuses
     */
    void grant(Connection owner) throws SQLException;
  }

  /**
   * Creates a store that also grants the roles after each migration.
   *
   * @param dataSource the shard's database as the role that reads and writes rows, auto-commit off
   * @param schemaSource the same database as the tables' owner, auto-commit off
   * @param grants run by {@link #migrate} as the owner, or null for none
   * @param shard the shard's name, for messages
   * @param topic the events topic, the key of {@code applied_offsets}
   */
  public ShardStore(
      DataSource dataSource,
      DataSource schemaSource,
      @Nullable SchemaGrants grants,
      String shard,
      String topic) {
    this.dataSource = dataSource;
    this.schemaSource = schemaSource;
    this.grants = grants;
    this.shard = shard;
    this.topic = topic;
  }

  /**
   * Creates or upgrades the tables with the versioned migrations in {@code db/migration}.
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails or the database is not
   *     reachable
   * @throws IllegalStateException if granting the roles fails, with the {@link SQLException} as its
   *     cause
   */
  public void migrate() {
    Flyway.configure()
        .dataSource(schemaSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    if (grants == null) {
      return;
    }
    try (Connection c = schemaSource.getConnection()) {
      grants.grant(c);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      // Unchecked, as Flyway's own failures are; the cause says whether retrying can help.
      throw new IllegalStateException(
          "shard [" + shard + "]: granting the database roles failed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads where each partition resumes, with {@link AppliedOffsets#read}.
   *
   * @param partitions the partitions to read
   * @return the next offset to apply per partition; a partition never applied is absent, and so is
   *     a fenced one: it has moved, or is moving, to another shard
   * @throws SQLException if the database fails
   */
  public Map<Integer, Long> appliedOffsets(Collection<Integer> partitions) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try {
        return AppliedOffsets.read(c, topic, partitions);
      } finally {
        c.rollback();
      }
    }
  }

  /**
   * Creates the child tables of the partitions that do not have them yet, for every partitioned
   * table ({@code CREATE TABLE IF NOT EXISTS <t>_p<N> PARTITION OF <t> FOR VALUES IN (<N>)}).
   * Idempotent, and safe to call from several processes at once: creators take a transaction-level
   * advisory lock. Each parent table gets its own short transaction, because creating a child locks
   * the parent {@code ACCESS EXCLUSIVE} (readers and writers of every partition wait) until commit.
   *
   * <p>Call it before writing a partition: an {@code INSERT} of a partition without children fails
   * with SQLSTATE 23514 ({@code no partition of relation "tweets" found for row}), which a writer
   * would take for bad data ({@link SqlErrors#isDataError}). {@link #apply} and {@link
   * #findRefused} call it themselves the first time this store sees a partition (unless it is
   * fenced), so calling it up front only chooses when the parent locks are taken.
   *
   * @param partitions logical partitions, each {@code >= 0}
   * @throws SQLException if the database fails; the children created before it stay
   * @throws IllegalArgumentException if a partition is negative
   */
  public void ensurePartitions(Collection<Integer> partitions) throws SQLException {
    try (Connection c = schemaSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        PartitionChildren.ensure(c, partitions);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
    ensured.addAll(partitions);
  }

  /**
   * Ensures a partition's children the first time this store writes it, unless the partition is
   * fenced: then the compare-and-set refuses the batch anyway, and children created now would be
   * left behind empty on a shard the partition has left.
   */
  private void ensureOnce(int partition) throws SQLException {
    if (ensured.contains(partition)) {
      return;
    }
    AppliedOffsets.Row row;
    try (Connection c = dataSource.getConnection()) {
      try {
        row = AppliedOffsets.readRow(c, topic, partition);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    }
    if (row == null || !row.fenced()) {
      ensurePartitions(List.of(partition));
    }
  }

  /**
   * Fences the partition off this shard, in a transaction of its own that commits: from then on
   * {@link #apply} refuses it with {@link PartitionFencedException}, and {@link #appliedOffsets}
   * leaves it out. Waits for a writer's in-flight commit of the partition (both need the offset
   * row's lock), so the returned offset covers every batch that ever commits here. Idempotent: a
   * fenced partition keeps its first fence time and returns the same offset.
   *
   * @param partition the partition that moves to another shard
   * @return the final offset f: every record of the partition before f was applied here, none
   *     after; 0 when the partition never had a row (one is inserted, fenced)
   * @throws SQLException if the database fails; nothing was fenced
   */
  public long fence(int partition) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(FENCE)) {
        s.setString(1, topic);
        s.setInt(2, partition);
        long fencedAt;
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          fencedAt = rs.getLong(1);
        }
        c.commit();
        return fencedAt;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * Removes the partition's rows from this shard by detaching and dropping its child tables: for
   * every partitioned table, {@code ALTER TABLE <t> DETACH PARTITION <t>_p<N> CONCURRENTLY} (which
   * takes only a {@code SHARE UPDATE EXCLUSIVE} lock on the parent, so the other partitions keep
   * being read and written) then {@code DROP TABLE IF EXISTS <t>_p<N>}. Runs in auto-commit mode,
   * as a concurrent detach requires, and restores the connection's mode after. A detach waits at
   * most {@value #DROP_LOCK_TIMEOUT} for its locks and is tried up to {@value #DROP_ATTEMPTS}
   * times. Idempotent, and completes a detach an earlier call left half-done. The partition's
   * {@code applied_offsets} row stays: fenced, it records that this shard no longer applies the
   * partition. Fence the partition first ({@link #fence}): a writer still applying it would
   * recreate its children.
   *
   * @param partition the partition to remove, {@code >= 0}
   * @throws SQLException if the database fails, or the locks stayed unavailable on every attempt
   *     (SQLSTATE 55P03); what was dropped before stays dropped
   * @throws IllegalArgumentException if the partition is negative
   * @throws InterruptedException if interrupted between attempts
   */
  public void dropPartition(int partition) throws SQLException, InterruptedException {
    ensured.remove(partition);
    try (Connection c = schemaSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.rollback();
      }
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("SET lock_timeout = '" + DROP_LOCK_TIMEOUT + "'");
        for (ShardTable table : ShardSchema.all()) {
          dropWithRetries(c, table, partition);
        }
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("RESET lock_timeout");
        }
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private void dropWithRetries(Connection c, ShardTable table, int partition)
      throws SQLException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        PartitionChildren.drop(c, table, partition);
        return;
      } catch (SQLException e) {
        if (!PartitionChildren.LOCK_NOT_AVAILABLE.equals(e.getSQLState())
            || attempt == DROP_ATTEMPTS) {
          throw e;
        }
        LOG.warn(
            "shard [{}] partition [{}]: dropping {} waited too long for its locks; retry {}/{}",
            shard,
            partition,
            table.childName(partition),
            attempt,
            DROP_ATTEMPTS - 1);
        Thread.sleep(100L * attempt);
      }
    }
  }

  /**
   * Applies one partition's events and advances its offset in one transaction. The offset's
   * compare-and-set runs first: it takes the offset row's lock, which {@link #fence} waits for, so
   * a fence and this commit are ordered one way or the other.
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
   * @throws PartitionFencedException if the partition is fenced: it moved, or is moving, to another
   *     shard; nothing was written
   * @throws OffsetFencedException if another writer moved the partition's offset
   * @throws IllegalStateException if {@code nextOffset} is not above the applied offset: the offset
   *     only moves forward
   */
  public AppliedBatch apply(
      int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
      throws SQLException {
    ensureOnce(partition);
    Split split = Split.of(events);
    int written;
    try (Connection c = dataSource.getConnection()) {
      try {
        if (!advance(c, partition, expectedNextOffset, nextOffset)) {
          c.rollback();
          return alreadyCommittedOrFenced(c, partition, expectedNextOffset, nextOffset);
        }
        written = write(c, partition, split);
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
    ensureOnce(partition);
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
   * only its acknowledgement was lost (the row already holds our target, fenced or not), or the
   * partition is fenced, or the batch would have moved the offset back (a bug in the caller), or
   * another writer moved it.
   */
  private AppliedBatch alreadyCommittedOrFenced(
      Connection c, int partition, @Nullable Long expected, long nextOffset) throws SQLException {
    AppliedOffsets.Row row;
    try {
      row = AppliedOffsets.readRow(c, topic, partition);
    } finally {
      c.rollback();
    }
    Long actual = row == null ? null : row.nextOffset();
    if (actual != null && actual == nextOffset) {
      return new AppliedBatch(partition, nextOffset, 0, 0, 0, true);
    }
    if (row != null && row.fenced()) {
      throw new PartitionFencedException(shard, partition, row.nextOffset());
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

  /**
   * Names one partition's child tables in a statement: {@code %1$s} the rows, {@code %2$s} the
   * tombstones. The children exist: {@link #apply} and {@link #findRefused} ensure them first.
   */
  private static String onChildren(
      String template, ShardTable rows, ShardTable tombstones, int partition) {
    return String.format(template, rows.childName(partition), tombstones.childName(partition));
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
