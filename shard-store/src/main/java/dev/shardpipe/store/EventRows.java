package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.Op;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The statements that write a batch's rows into one partition's child tables, set-based: one
 * statement per kind and operation, with the batch passed as arrays and expanded by {@code unnest}
 * (docs/architecture.md, "The writer's statements"). Each kind's upsert is built once from its
 * {@link EventKind}, the columns and their types as {@link ShardSchema} describes its table; the
 * delete is one statement for every kind. The version rule lives in the statements, so applying any
 * event twice changes nothing. Runs in the caller's transaction.
 */
final class EventRows {

  /**
   * Each kind's upsert, with {@code %1$s} for the rows' child table and {@code %2$s} the
   * tombstones'.
   */
  private static final Map<EventKind, String> UPSERTS = upserts();

  /** The column {@link #lines} wraps at, leaving room for what closes a list on its line. */
  private static final int WIDTH = 90;

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
   * Writes the rows of one batch and returns how many rows and tombstones changed: every kind's
   * upserts in {@link EventKind} order, then every kind's deletes in the same order. The
   * partition's children must exist.
   */
  static int write(Connection c, int partition, Split split) throws SQLException {
    int written = 0;
    for (EventKind kind : EventKind.values()) {
      written += upsert(c, kind, partition, split.upsertsOf(kind));
    }
    for (EventKind kind : EventKind.values()) {
      written +=
          delete(
              c,
              ShardSchema.rows(kind),
              ShardSchema.tombstones(kind),
              partition,
              split.deletesOf(kind));
    }
    return written;
  }

  /** A batch's events by kind and operation, one statement each. */
  record Split(
      Map<EventKind, List<Event>> upsertsByKind, Map<EventKind, List<Event>> deletesByKind) {

    static Split of(List<Event> events) {
      Split split = new Split(new EnumMap<>(EventKind.class), new EnumMap<>(EventKind.class));
      for (Event event : events) {
        (event.op() == Op.UPSERT ? split.upsertsByKind : split.deletesByKind)
            .computeIfAbsent(event.type(), kind -> new ArrayList<>())
            .add(event);
      }
      return split;
    }

    List<Event> upsertsOf(EventKind kind) {
      return upsertsByKind.getOrDefault(kind, List.of());
    }

    List<Event> deletesOf(EventKind kind) {
      return deletesByKind.getOrDefault(kind, List.of());
    }

    int upserts() {
      return upsertsByKind.values().stream().mapToInt(List::size).sum();
    }

    int deletes() {
      return deletesByKind.values().stream().mapToInt(List::size).sum();
    }
  }

  /**
   * Builds a kind's upsert: it clears the tombstones the rows are not older than, inserts the rows
   * no newer tombstone covers, and replaces a stored row when the new one is newer, or as old and
   * different. The columns are {@code id}, the kind's fields in wire order, {@code occurred_at} and
   * {@code partition}; the id and the time travel as text, each field as an array of its column's
   * type. Naming the partition's children, not the parents, spares PostgreSQL routing each row and
   * planning every partition's child before pruning to one.
   */
  private static String upsertTemplate(EventKind kind) {
    List<String> fields = kind.fields().stream().map(EventField::name).toList();
    List<String> columns = new ArrayList<>();
    List<String> arrays = new ArrayList<>();
    columns.add("id");
    arrays.add("?::text[]::uuid[]");
    for (EventField field : kind.fields()) {
      columns.add(field.name());
      arrays.add("?::" + ShardSchema.sqlType(field) + "[]");
    }
    columns.add("occurred_at");
    arrays.add("?::text[]::timestamptz[]");
    columns.add("partition");
    List<String> set = new ArrayList<>();
    fields.forEach(f -> set.add(f + " = EXCLUDED." + f));
    set.add("occurred_at = EXCLUDED.occurred_at");
    set.add("ingested_at = now()");
    return """
        WITH input (%1$s) AS (
            SELECT u.*, ?::integer FROM unnest(
                %2$s) AS u
        ), cleared AS (
            DELETE FROM %%2$s t USING input i
            WHERE t.id = i.id AND t.occurred_at <= i.occurred_at
        )
        INSERT INTO %%1$s AS t
            (%3$s)
        SELECT i.* FROM input i
        WHERE NOT EXISTS (SELECT 1 FROM %%2$s d
                          WHERE d.id = i.id AND d.occurred_at > i.occurred_at)
        ON CONFLICT (id, partition) DO UPDATE SET
            %4$s
        WHERE t.occurred_at < EXCLUDED.occurred_at
           OR (t.occurred_at = EXCLUDED.occurred_at
               AND (%5$s)
                   IS DISTINCT FROM (%6$s))
        """
        .formatted(
            lines(columns, 12, 4),
            lines(arrays, 8, 8),
            lines(columns, 5, 5),
            lines(set, 4, 4),
            lines(fields.stream().map(f -> "t." + f).toList(), 12, 12),
            lines(fields.stream().map(f -> "EXCLUDED." + f).toList(), 29, 29));
  }

  /**
   * Joins a list with {@code ", "} from column {@code start}, starting a new line indented by
   * {@code indent} spaces before an item that would pass column {@value #WIDTH}, so that a kind
   * with many fields keeps its statement readable in logs and {@code pg_stat_statements}.
   */
  private static String lines(List<String> items, int start, int indent) {
    StringBuilder text = new StringBuilder();
    int column = start;
    for (String item : items) {
      String separator = text.isEmpty() ? "" : ", ";
      if (!text.isEmpty() && column + separator.length() + item.length() > WIDTH) {
        text.append(",\n").append(" ".repeat(indent));
        column = indent;
        separator = "";
      }
      text.append(separator).append(item);
      column += separator.length() + item.length();
    }
    return text.toString();
  }

  private static Map<EventKind, String> upserts() {
    Map<EventKind, String> upserts = new EnumMap<>(EventKind.class);
    for (EventKind kind : EventKind.values()) {
      upserts.put(kind, upsertTemplate(kind));
    }
    return upserts;
  }

  /**
   * Binds one array per column: text fields as {@code String[]}, integer fields as {@code Long[]}
   * (the driver sends {@code int8[]}, which the statement casts to an {@code integer[]} column's
   * type), an absent optional field as a null element.
   */
  private static int upsert(Connection c, EventKind kind, int partition, List<Event> events)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    int n = events.size();
    List<EventField> fields = kind.fields();
    String[] ids = new String[n];
    String[] times = new String[n];
    Object[][] columns = new Object[fields.size()][];
    for (int f = 0; f < columns.length; f++) {
      columns[f] = fields.get(f).type() == EventField.Type.TEXT ? new String[n] : new Long[n];
    }
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      Map<String, Object> values = kind.values(e);
      ids[i] = e.id().toString();
      for (int f = 0; f < columns.length; f++) {
        columns[f][i] = values.get(fields.get(f).name());
      }
      times[i] = e.occurredAt().toString();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            onChildren(
                UPSERTS.get(kind),
                ShardSchema.rows(kind),
                ShardSchema.tombstones(kind),
                partition))) {
      int p = 1;
      s.setInt(p++, partition);
      s.setObject(p++, ids);
      for (Object[] column : columns) {
        s.setObject(p++, column);
      }
      s.setObject(p, times);
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
