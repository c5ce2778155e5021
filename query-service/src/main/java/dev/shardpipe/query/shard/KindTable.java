package dev.shardpipe.query.shard;

import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An event kind's table as the reads see it: the kind (its table name and shard key), the columns
 * returned and the row type the API answers with. {@link #of(EventKind)} gives every kind's table
 * from the kind alone; {@link #TWEETS} and {@link #FILES} read the same columns into typed rows,
 * which the OpenAPI document describes field by field.
 *
 * @param <R> the row type
 * @param kind the event kind whose rows the table holds
 * @param columns the columns read, comma-separated, {@code id}, {@code occurred_at}, {@code
 *     partition} and {@code ingested_at} among them
 * @param mapper builds a row from the current row of a result set
 */
public record KindTable<R extends ShardRow>(EventKind kind, String columns, RowMapper<R> mapper) {

  /** {@code tweets}, read as {@link TweetRow}. */
  public static final KindTable<TweetRow> TWEETS =
      new KindTable<>(
          EventKind.TWEET,
          "id, location, owner_id, text, like_count, occurred_at, partition, ingested_at",
          (rs, shard) ->
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

  /** {@code file_metadata}, read as {@link FileRow}. */
  public static final KindTable<FileRow> FILES =
      new KindTable<>(
          EventKind.FILE,
          "id, user_id, file_name, size_bytes, content_type, occurred_at, partition, ingested_at",
          (rs, shard) ->
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

  /** Every kind's table read as {@link DataRow}, built once. */
  private static final Map<EventKind, KindTable<DataRow>> GENERIC = generic();

  /**
   * Returns a kind's table read from the kind alone: the columns {@code id}, each field's in wire
   * order, {@code occurred_at}, {@code partition} and {@code ingested_at} (the columns every kind's
   * migration creates, docs/development.md), each row a {@link DataRow} whose JSON is that of the
   * kind's typed row, if it has one.
   *
   * @param kind any event kind
   * @return its table
   */
  public static KindTable<DataRow> of(EventKind kind) {
    return GENERIC.get(kind);
  }

  private static Map<EventKind, KindTable<DataRow>> generic() {
    Map<EventKind, KindTable<DataRow>> tables = new EnumMap<>(EventKind.class);
    for (EventKind kind : EventKind.values()) {
      String columns =
          Stream.of(
                  Stream.of("id"),
                  kind.fields().stream().map(EventField::name),
                  Stream.of("occurred_at", "partition", "ingested_at"))
              .flatMap(s -> s)
              .collect(Collectors.joining(", "));
      tables.put(kind, new KindTable<>(kind, columns, (rs, shard) -> dataRow(kind, rs, shard)));
    }
    return tables;
  }

  private static DataRow dataRow(EventKind kind, ResultSet rs, String shard) throws SQLException {
    List<Object> values = new ArrayList<>(kind.fields().size());
    for (EventField field : kind.fields()) {
      if (field.type() == EventField.Type.TEXT) {
        values.add(rs.getString(field.name()));
      } else {
        // getObject(name, Long.class) refuses an integer column; getLong reads both sizes.
        long number = rs.getLong(field.name());
        values.add(rs.wasNull() ? null : number);
      }
    }
    return new DataRow(
        kind,
        rs.getObject("id", UUID.class),
        values,
        instant(rs, "occurred_at"),
        rs.getInt("partition"),
        shard,
        instant(rs, "ingested_at"));
  }

  /** Builds a row from the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<R> {
    /**
     * Maps the current row.
     *
     * @param rs the result set, positioned on a row
     * @param shard the shard it was read from
     * @return the row
     * @throws SQLException if a column cannot be read
     */
    R map(ResultSet rs, String shard) throws SQLException;
  }

  StringBuilder select(String where) {
    return new StringBuilder("SELECT ")
        .append(columns)
        .append(" FROM ")
        .append(kind.table())
        .append(where);
  }

  List<R> read(PreparedStatement s, String shard) throws SQLException {
    List<R> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(mapper.map(rs, shard));
      }
    }
    return rows;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
