package dev.shardpipe.testing;

import dev.shardpipe.embedded.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The test JVM's PostgreSQL server as tests see it: where it listens and how to create a database
 * on it, over JDBC only, so they behave the same on the embedded server and on a container. Both
 * trust the superuser {@value #USER} without a password, so a JDBC URL needs no secret.
 */
public final class TestPostgres {

  /** The superuser tests connect as. */
  public static final String USER = "postgres";

  private final String host;
  private final int port;

  TestPostgres(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Returns the host the server is reached on.
   *
   * @return {@code 127.0.0.1} for the embedded server; the Docker host for a container
   */
  public String host() {
    return host;
  }

  /**
   * Returns the port the server is reached on.
   *
   * @return the port; for a container, the host port mapped to its 5432
   */
  public int port() {
    return port;
  }

  /**
   * Returns a JDBC URL for a database on this server, user {@value #USER}.
   *
   * @param database the database name
   * @return {@code jdbc:postgresql://<host>:<port>/<database>?user=postgres}
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + USER;
  }

  /**
   * Creates a database unless it exists.
   *
   * @param name a lower-case identifier, 1 to 63 characters
   * @return true if the database was created, false if it existed
   * @throws IllegalArgumentException if the name is not a plain lower-case identifier
   * @throws SQLException if PostgreSQL refuses or cannot be reached
   */
  public boolean createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"))) {
      return Databases.create(c, name);
    }
  }
}
