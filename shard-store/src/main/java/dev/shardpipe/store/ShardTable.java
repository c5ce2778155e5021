package dev.shardpipe.store;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A table of every shard, as the migrations in {@code db/migration} create it; {@link ShardSchema}
 * holds the instances. Statements that name tables or list columns build them from here, so that
 * the schema has one description in code.
 *
 * @param name the table name, such as {@code tweets}
 * @param columns every column, in table order
 * @param partitioned true when the table is {@code PARTITION BY LIST (partition)}, with one child
 *     table per logical partition named by {@link #childName}
 * @param tombstonesOf for a tombstone table, the name of the table whose deletes it records; null
 *     otherwise
 */
public record ShardTable(
    String name, List<ShardColumn> columns, boolean partitioned, @Nullable String tombstonesOf) {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * Checks the arguments and copies the column list.
   *
   * @throws IllegalArgumentException if the name is not a plain lower-case identifier or there are
   *     no columns
   * @throws NullPointerException if the columns are null
   */
  public ShardTable {
    requireIdentifier(name);
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no columns");
    }
  }

  /**
   * Returns the name of the child table that holds one partition's rows.
   *
   * @param partition the logical partition, {@code >= 0}
   * @return {@code <name>_p<partition>}, such as {@code tweets_p5}
   * @throws IllegalArgumentException if the partition is negative
   * @throws IllegalStateException if this table is not partitioned
   */
  public String childName(int partition) {
    if (!partitioned) {
      throw new IllegalStateException("table " + name + " is not partitioned");
    }
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
    return name + "_p" + partition;
  }

  /**
   * Returns the column names in table order.
   *
   * @return the names, such as {@code [id, occurred_at, partition, deleted_at]}
   */
  public List<String> columnNames() {
    return columns.stream().map(ShardColumn::name).toList();
  }

  /**
   * Returns the column names as a select or insert list.
   *
   * @return the names in table order, separated by {@code ", "}
   */
  public String columnList() {
    return columns.stream().map(ShardColumn::name).collect(Collectors.joining(", "));
  }

  /** {@code CREATE TABLE IF NOT EXISTS <child> PARTITION OF <name> FOR VALUES IN (<p>)}. */
  String createChildSql(int partition) {
    return "CREATE TABLE IF NOT EXISTS "
        + childName(partition)
        + " PARTITION OF "
        + name
        + " FOR VALUES IN ("
        + partition
        + ")";
  }

  /** Streams one partition's rows, every column in table order, in COPY's binary format. */
  String copyOutSql(int partition) {
    return "COPY (SELECT "
        + columnList()
        + " FROM "
        + childName(partition)
        + ") TO STDOUT (FORMAT binary)";
  }

  /** Loads what {@link #copyOutSql} produced into the same partition's child table. */
  String copyInSql(int partition) {
    return "COPY " + childName(partition) + " (" + columnList() + ") FROM STDIN (FORMAT binary)";
  }

  static String requireIdentifier(String name) {
    Objects.requireNonNull(name, "name");
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
    }
    return name;
  }
}
