package dev.shardpipe.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database error that goes away by itself from one that does not, by SQLSTATE class
 * (PostgreSQL Appendix A, "PostgreSQL Error Codes").
 */
public final class SqlErrors {

  private SqlErrors() {}

  /**
   * Tells whether retrying the same transaction later can succeed.
   *
   * @param e the error
   * @return true for connection failures (class 08), rolled-back transactions such as serialization
   *     failures and deadlocks (40), insufficient resources (53), operator intervention such as a
   *     server shutting down or starting (57) and system I/O errors (58), and for the JDBC
   *     transient and recoverable exception types
   */
  public static boolean isRetriable(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return false;
    }
    return switch (state.substring(0, 2)) {
      case "08", "40", "53", "57", "58" -> true;
      default -> false;
    };
  }

  /**
   * Tells whether the database refused the data itself: the same rows fail the same way on every
   * attempt, so retrying cannot help, but the rows that caused it can be set aside and the rest
   * applied.
   *
   * @param e the error
   * @return true for data exceptions (class 22, such as a value out of range or an untranslatable
   *     character) and integrity constraint violations (class 23, such as a failed {@code CHECK})
   */
  public static boolean isDataError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }
}
