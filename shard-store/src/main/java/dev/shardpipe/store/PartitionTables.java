package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard's child tables of its partitions: created on demand before a partition is written, and
 * detached and dropped when the partition has left the shard. Remembers which partitions it has
 * ensured, so that each costs one check per process.
 */
final class PartitionTables {

  // The store's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardStore.class);

  /** How long one attempt of a detach may wait for its locks before it is tried again. */
  static final String DROP_LOCK_TIMEOUT = "5s";

  /** How many times {@link #drop} tries a detach that keeps waiting for locks. */
  static final int DROP_ATTEMPTS = 5;

  private final DataSource dataSource;
  private final DataSource schemaSource;
  private final String shard;
  private final String topic;

  /** Partitions whose children this store has ensured, so that each costs one check per process. */
  private final Set<Integer> ensured = ConcurrentHashMap.newKeySet();

  PartitionTables(DataSource dataSource, DataSource schemaSource, String shard, String topic) {
    this.dataSource = dataSource;
    this.schemaSource = schemaSource;
    this.shard = shard;
    this.topic = topic;
  }

  /** Creates the children the partitions lack; see {@link ShardStore#ensurePartitions}. */
  void ensure(Collection<Integer> partitions) throws SQLException {
    try (Connection c = schemaSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        PartitionChildren.ensure(c, partitions);
      } catch (SQLException | RuntimeException e) {
        Rollback.quietly(c, e);
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
  void ensureOnce(int partition) throws SQLException {
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
      ensure(List.of(partition));
    }
  }

  /** Detaches and drops the partition's children; see {@link ShardStore#dropPartition}. */
  void drop(int partition) throws SQLException, InterruptedException {
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
}
