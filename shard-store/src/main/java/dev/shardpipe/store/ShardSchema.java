package dev.shardpipe.store;

import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The tables of every shard (docs/architecture.md, "The shard schema"), as the migrations in {@code
 * db/migration} leave them. Each event kind's table and tombstone table are built from its {@link
 * EventKind}: {@code id}, a column per field named as the field, then {@code occurred_at}, {@code
 * partition} and {@code ingested_at}; a text field is {@code text}, an integer field {@code
 * integer} when its largest value fits 32 bits and {@code bigint} otherwise. {@code ShardSchemaIT}
 * checks these descriptions against a migrated database, so a migration that changes a table
 * changes its kind or this class with it.
 */
public final class ShardSchema {

  private static final String UUID = "uuid";
  private static final String TEXT = "text";
  private static final String BIGINT = "bigint";
  private static final String INTEGER = "integer";
  private static final String TIMESTAMPTZ = "timestamptz";

  private static final Map<EventKind, ShardTable> ROWS = byKind(ShardSchema::rowsOf);
  private static final Map<EventKind, ShardTable> TOMBSTONES = byKind(ShardSchema::tombstonesOf);

  /** Tweets, one row per live id. */
  public static final ShardTable TWEETS = ROWS.get(EventKind.TWEET);

  /** File metadata, one row per live id. */
  public static final ShardTable FILE_METADATA = ROWS.get(EventKind.FILE);

  /** Deleted tweets: an older upsert delivered after the delete must not bring the row back. */
  public static final ShardTable TWEET_TOMBSTONES = TOMBSTONES.get(EventKind.TWEET);

  /** Deleted file metadata, as {@link #TWEET_TOMBSTONES}. */
  public static final ShardTable FILE_METADATA_TOMBSTONES = TOMBSTONES.get(EventKind.FILE);

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
      Stream.concat(ROWS.values().stream(), TOMBSTONES.values().stream()).toList();

  private ShardSchema() {}

  /**
   * Returns the partitioned tables, in the order a partition's rows are copied: every kind's table
   * in {@link EventKind} order, then their tombstone tables in the same order.
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

  /**
   * Returns the table an event kind's rows are written to.
   *
   * @param kind the event kind
   * @return its table, named {@link EventKind#table()}
   */
  public static ShardTable rows(EventKind kind) {
    return ROWS.get(kind);
  }

  /**
   * Returns the table that records an event kind's deletes.
   *
   * @param kind the event kind
   * @return its tombstone table, named {@link EventKind#tombstoneTable()}
   */
  public static ShardTable tombstones(EventKind kind) {
    return TOMBSTONES.get(kind);
  }

  private static ShardTable rowsOf(EventKind kind) {
    List<ShardColumn> columns = new ArrayList<>();
    columns.add(new ShardColumn("id", UUID));
    for (EventField field : kind.fields()) {
      columns.add(new ShardColumn(field.name(), sqlType(field)));
    }
    columns.add(new ShardColumn("occurred_at", TIMESTAMPTZ));
    columns.add(new ShardColumn("partition", INTEGER));
    columns.add(new ShardColumn("ingested_at", TIMESTAMPTZ));
    return new ShardTable(kind.table(), columns, true, null);
  }

  /**
   * Returns the type of a field's column: the narrowest that holds every value the field admits, as
   * the migrations declare it.
   *
   * @return {@code text}, {@code integer} or {@code bigint}
   */
  static String sqlType(EventField field) {
    return switch (field.type()) {
      case TEXT -> TEXT;
      case INTEGER -> field.max() <= Integer.MAX_VALUE ? INTEGER : BIGINT;
    };
  }

  private static ShardTable tombstonesOf(EventKind kind) {
    return new ShardTable(
        kind.tombstoneTable(),
        List.of(
            new ShardColumn("id", UUID),
            new ShardColumn("occurred_at", TIMESTAMPTZ),
            new ShardColumn("partition", INTEGER),
            new ShardColumn("deleted_at", TIMESTAMPTZ)),
        true,
        kind.table());
  }

  private static Map<EventKind, ShardTable> byKind(Function<EventKind, ShardTable> table) {
    Map<EventKind, ShardTable> tables = new EnumMap<>(EventKind.class);
    for (EventKind kind : EventKind.values()) {
      tables.put(kind, table.apply(kind));
    }
    return tables;
  }
}
