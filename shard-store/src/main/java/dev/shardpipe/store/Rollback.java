package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Rolls a failed transaction back without hiding why it failed. */
final class Rollback {

  private Rollback() {}

  /** Rolls back; a failure to do so is kept as suppressed by the error that caused it. */
  static void quietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
