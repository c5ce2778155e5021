package dev.shardpipe.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Creates databases on a PostgreSQL server: the embedded one and a test container. */
public final class Databases {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Databases() {}

  /**
   * Creates a database unless it exists.
   *
   * @param maintenance a connection to the server's {@code postgres} database, as a superuser
   * @param name a lower-case identifier, 1 to 63 characters
   * @return true if the database was created, false if it existed
   * @throws IllegalArgumentException if the name is not a plain lower-case identifier
   * @throws SQLException if PostgreSQL refuses
   */
  public static boolean create(Connection maintenance, String name) throws SQLException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "database name \"" + name + "\" must match " + NAME.pattern());
    }
    try (PreparedStatement exists =
        maintenance.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (Statement create = maintenance.createStatement()) {
      // CREATE DATABASE takes no bind parameters; the name was checked against the pattern.
      create.execute("CREATE DATABASE " + name);
    }
    return true;
  }
}
