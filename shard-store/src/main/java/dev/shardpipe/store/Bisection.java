package dev.shardpipe.store;

import dev.shardpipe.core.event.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.postgresql.util.PSQLException;

/**
 * Finds the events of a batch the database refuses to store, by bisection under savepoints: a part
 * that fails with a data error ({@link SqlErrors#isDataError}) is rolled back to its savepoint and
 * split in two, until single events remain. Costs about {@code 2 * k * log2(n)} statements for
 * {@code k} refused events among {@code n}. Runs in the caller's transaction, which the caller
 * rolls back.
 */
final class Bisection {

  private Bisection() {}

  /** Adds the refused events among {@code events[from, to)} to {@code refused}, in list order. */
  static void bisect(
      Connection c, int partition, List<Event> events, int from, int to, List<RefusedEvent> refused)
      throws SQLException {
    Savepoint savepoint = c.setSavepoint();
    try {
      EventRows.write(c, partition, EventRows.Split.of(events.subList(from, to)));
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
}
