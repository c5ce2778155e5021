package dev.shardpipe.store;

import java.util.List;

/**
 * The tables of every shard (docs/architecture.md, "The shard schema"), as the migrations in {@code
 * db/migration} leave them. {@code ShardSchemaIT} checks these descriptions against a migrated
 * database, so a migration that changes a table changes this class with it.
 */
public final class ShardSchema {

  private static final String UUID = "uuid";
  private static final String TEXT = "text";
  private static final String BIGINT = "bigint";
  private static final String INTEGER = "integer";
  private static final String TIMESTAMPTZ = "timestamptz";

  /** Tweets, one row per live id. */
  public static final ShardTable TWEETS =
      new ShardTable(
          "tweets",
          List.of(
              new ShardColumn("id", UUID),
              new ShardColumn("location", TEXT),
              new ShardColumn("owner_id", BIGINT),
              new ShardColumn("text", TEXT),
              new ShardColumn("like_count", INTEGER),
              new ShardColumn("occurred_at", TIMESTAMPTZ),
              new ShardColumn("partition", INTEGER),
              new ShardColumn("ingested_at", TIMESTAMPTZ)),
          true,
          null);

  /** File metadata, one row per live id. */
  public static final ShardTable FILE_METADATA =
      new ShardTable(
          "file_metadata",
          List.of(
              new ShardColumn("id", UUID),
              new ShardColumn("user_id", BIGINT),
              new ShardColumn("file_name", TEXT),
              new ShardColumn("size_bytes", BIGINT),
              new ShardColumn("content_type", TEXT),
              new ShardColumn("occurred_at", TIMESTAMPTZ),
              new ShardColumn("partition", INTEGER),
              new ShardColumn("ingested_at", TIMESTAMPTZ)),
          true,
          null);

  /** Deleted tweets: an older upsert delivered after the delete must not bring the row back. */
  public static final ShardTable TWEET_TOMBSTONES = tombstones("tweet_tombstones", TWEETS);

  /** Deleted file metadata, as {@link #TWEET_TOMBSTONES}. */
  public static final ShardTable FILE_METADATA_TOMBSTONES =
      tombstones("file_metadata_tombstones", FILE_METADATA);

  /**
   * Where each partition's writer resumes, and whether the partition has been fenced off this
   * shard; a plain table keyed by {@code (topic, partition)}. Read it with {@link AppliedOffsets}.
   */
  public static final ShardTable APPLIED_OFFSETS =
      new ShardTable(
          "applied_offsets",
          List.of(
              new ShardColumn("topic", TEXT),
              new ShardColumn("partition", INTEGER),
              new ShardColumn("next_offset", BIGINT),
              new ShardColumn("updated_at", TIMESTAMPTZ),
              new ShardColumn("fenced_at", TIMESTAMPTZ)),
          false,
          null);

  private static final List<ShardTable> PARTITIONED =
      List.of(TWEETS, FILE_METADATA, TWEET_TOMBSTONES, FILE_METADATA_TOMBSTONES);

  private ShardSchema() {}

  /**
   * Returns the partitioned tables, in the order a partition's rows are copied.
   *
   * @return {@link #TWEETS}, {@link #FILE_METADATA}, {@link #TWEET_TOMBSTONES}, {@link
   *     #FILE_METADATA_TOMBSTONES}
   */
  public static List<ShardTable> all() {
    return PARTITIONED;
  }

  /**
   * Returns the name of the child table that holds one partition's rows of a table.
   *
   * @param table a partitioned table
   * @param partition the logical partition, {@code >= 0}
   * @return such as {@code tweets_p5}
   * @throws IllegalArgumentException if the partition is negative
   * @throws IllegalStateException if the table is not partitioned
   */
  public static String childName(ShardTable table, int partition) {
    return table.childName(partition);
  }

  private static ShardTable tombstones(String name, ShardTable of) {
    return new ShardTable(
        name,
        List.of(
            new ShardColumn("id", UUID),
            new ShardColumn("occurred_at", TIMESTAMPTZ),
            new ShardColumn("partition", INTEGER),
            new ShardColumn("deleted_at", TIMESTAMPTZ)),
        true,
        of.name());
  }
}
