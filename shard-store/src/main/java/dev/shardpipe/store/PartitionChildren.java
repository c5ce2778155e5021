package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Creates and drops the child tables that hold one partition's rows of every partitioned table. */
final class PartitionChildren {

  /**
   * Serialises creators of children in one database. Without it, two transactions that create the
   * same child both pass {@code IF NOT EXISTS} and the later one fails on a duplicate catalog row.
   */
  static final long CREATE_LOCK = 0x5368617264437265L;

  /** SQLSTATE lock_not_available: {@code lock_timeout} expired. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  private static final String MISSING =
      "SELECT c FROM unnest(?::text[]) AS c WHERE to_regclass(quote_ident(c)) IS NULL";

  /** Whether a child is attached, and whether an earlier concurrent detach was interrupted. */
  private static final String ATTACHMENT =
      "SELECT i.inhdetachpending FROM pg_inherits i WHERE i.inhrelid = to_regclass(?)";

  private PartitionChildren() {}

  /**
   * Creates the missing children of the partitions, committing after each parent table. Creating a
   * child takes an {@code ACCESS EXCLUSIVE} lock on its parent until commit; holding two parents at
   * once could deadlock with a writer's transaction that locks them in another order, so each
   * parent gets its own short transaction. The connection must have auto-commit off.
   */
  static void ensure(Connection c, Collection<Integer> partitions) throws SQLException {
    for (ShardTable table : ShardSchema.all()) {
      List<String> children = new ArrayList<>();
      for (int partition : new TreeSet<>(partitions)) {
        children.add(table.childName(partition));
      }
      if (children.isEmpty() || missing(c, children).isEmpty()) {
        c.rollback();
        continue;
      }
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)");
          Statement create = c.createStatement()) {
        lock.setLong(1, CREATE_LOCK);
        lock.execute();
        for (int partition : new TreeSet<>(partitions)) {
          create.execute(table.createChildSql(partition));
        }
      }
      c.commit();
    }
  }

  private static List<String> missing(Connection c, List<String> children) throws SQLException {
    List<String> missing = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(MISSING)) {
      s.setArray(1, c.createArrayOf("text", children.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          missing.add(rs.getString(1));
        }
      }
    }
    return missing;
  }

  /**
   * Detaches and drops one table's child of a partition, on a connection in auto-commit mode.
   * {@code DETACH ... CONCURRENTLY} takes only a {@code SHARE UPDATE EXCLUSIVE} lock on the parent,
   * so readers and writers of the other partitions carry on; it cannot run in a transaction block.
   * A detach that was interrupted half-way leaves the child "detach pending", which {@code
   * FINALIZE} completes.
   */
  static void drop(Connection c, ShardTable table, int partition) throws SQLException {
    String child = table.childName(partition);
    Boolean detachPending = null;
    try (PreparedStatement s = c.prepareStatement(ATTACHMENT)) {
      s.setString(1, child);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          detachPending = rs.getBoolean(1);
        }
      }
    }
    try (Statement s = c.createStatement()) {
      if (detachPending != null) {
        s.execute(
            "ALTER TABLE "
                + table.name()
                + " DETACH PARTITION "
                + child
                + (detachPending ? " FINALIZE" : " CONCURRENTLY"));
      }
      s.execute("DROP TABLE IF EXISTS " + child);
    }
  }
}
