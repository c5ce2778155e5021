package dev.shardpipe.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the embedded binaries on the classpath (zonky), listening on
 * 127.0.0.1 only. Works for a normal user and for root: as root the binaries run in a user
 * namespace, since PostgreSQL refuses to run as root.
 *
 * <p>The data directory is initialised on first start and reused afterwards, so databases survive a
 * restart on the same directory.
 */
public final class PostgresServer implements AutoCloseable {

  /** The superuser; local connections are trusted, so it needs no password. */
  public static final String USER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private PostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts the server, running {@code initdb} first when the data directory is new.
   *
   * @param dataDir the data directory; created when missing, reused when initialised
   * @param port the port, or 0 for a free one
   * @param settings extra server settings ({@code -c name=value}), such as {@code
   *     synchronous_commit}; these win over the defaults here
   * @return the running server
   * @throws IOException if the directory cannot be prepared, the port is taken, or the server does
   *     not start
   */
  public static PostgresServer start(Path dataDir, int port, Map<String, String> settings)
      throws IOException {
    Files.createDirectories(dataDir);
    int chosen = port == 0 ? FreePort.find() : port;
    FreePort.requireFree(chosen, "PostgreSQL");
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(chosen)
            .setServerConfig("listen_addresses", "127.0.0.1")
            // zonky's default is "off"; a devstack that keeps data should not lose commits.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_connections", "200");
    settings.forEach(builder::setServerConfig);
    PostgresServer server = new PostgresServer(builder.start(), dataDir);
    LOG.info("PostgreSQL [127.0.0.1:{}] ready, data dir {}", chosen, dataDir);
    return server;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return postgres.getPort();
  }

  /**
   * Returns the data directory.
   *
   * @return the directory given at start
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Returns a JDBC URL for a database on this server, user {@value #USER}.
   *
   * @param database the database name
   * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>?user=postgres}
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=" + USER;
  }

  /**
   * Creates a database unless it exists.
   *
   * @param name a lower-case identifier, 1 to 63 characters
   * @return true if the database was created
   * @throws IllegalArgumentException if the name is not a plain lower-case identifier
   * @throws SQLException if PostgreSQL refuses
   */
  public boolean createDatabase(String name) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      return Databases.create(c, name);
    }
  }

  /** Stops the server ({@code pg_ctl stop -m fast}); the data directory is kept. */
  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
