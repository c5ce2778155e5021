package dev.shardpipe.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The least-privilege roles of the shard databases (docs/security.md), one home for their SQL:
 *
 * <ul>
 *   <li>the owner (the services' {@code shardpipe.database.user}) owns the tables: the writers run
 *       the migrations and create and drop partition tables as it;
 *   <li>the reader ({@value #READER} by default), for query-service and ingest-api's lag reads, may
 *       connect to every shard and only {@code SELECT}; its transactions are read-only by default
 *       ({@code default_transaction_read_only}), since the driver's read-only flag does nothing in
 *       auto-commit mode;
 *   <li>a writer ({@code shardpipe_writer_<shard>} by default) may connect to its own shard's
 *       database only, and there read and write rows, but not change the schema.
 * </ul>
 *
 * <p>Roles belong to the PostgreSQL server, privileges to each database: {@link #createReader} and
 * {@link #createWriter} create a role once per server, with its password and settings, and leave an
 * existing one as it is (changing it needs {@code CREATEROLE}); {@link #grant} runs once per shard
 * database. All of them are idempotent: the devstack and the writers run them at every start.
 */
public final class ShardRoles {

  /** The devstack's read-only role: {@value}. */
  public static final String READER = "shardpipe_reader";

  /** The devstack's writer role of a shard, {@code {shard}} replaced by its name: {@value}. */
  public static final String WRITER_TEMPLATE = "shardpipe_writer_{shard}";

  // Role names go into SQL as identifiers, passwords as literals.
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private ShardRoles() {}

  /**
   * Returns the devstack's writer role of a shard.
   *
   * @param shard the shard's name
   * @return {@code shardpipe_writer_<shard>}
   * @throws IllegalArgumentException if that is no lower-case SQL identifier
   */
  public static String writer(String shard) {
    return identifier(WRITER_TEMPLATE.replace("{shard}", shard));
  }

  /**
   * Creates a read-only role on the server of a connection, unless it exists.
   *
   * @param admin a connection as a role that may create roles (a superuser or {@code CREATEROLE})
   * @param role the role, a lower-case identifier
   * @param password its password; empty for none (the server then has to trust its connections)
   * @throws SQLException if the server refuses
   */
  public static void createReader(Connection admin, String role, String password)
      throws SQLException {
    createRole(
        admin, role, password, "ALTER ROLE " + role + " SET default_transaction_read_only = on");
  }

  /**
   * Creates a writer role on the server of a connection, unless it exists.
   *
   * @param admin a connection as a role that may create roles
   * @param role the role, a lower-case identifier
   * @param password its password; empty for none
   * @throws SQLException if the server refuses
   */
  public static void createWriter(Connection admin, String role, String password)
      throws SQLException {
    createRole(admin, role, password, "");
  }

  /**
   * Grants the roles their privileges in one shard's database: {@code CONNECT} to the reader and
   * the shard's writer only (not to {@code PUBLIC}), {@code SELECT} on every table to the reader,
   * row changes to the writer, and the same on every table the owner creates later (partition
   * tables, later migrations).
   *
   * @param shardDatabase a connection to the shard's database as its owner or a superuser
   * @param reader the read-only role
   * @param writer the shard's writer role
   * @param owner the role that owns the tables and creates new ones
   * @throws SQLException if the server refuses, such as when a role does not exist
   */
  public static void grant(Connection shardDatabase, String reader, String writer, String owner)
      throws SQLException {
    identifier(reader);
    identifier(writer);
    String tableOwner = quoted(owner);
    try (Statement s = shardDatabase.createStatement()) {
      String database = quoted(shardDatabase.getCatalog());
      s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
      s.execute("GRANT CONNECT ON DATABASE " + database + " TO " + reader + ", " + writer);
      s.execute("GRANT USAGE ON SCHEMA public TO " + reader + ", " + writer);
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + writer);
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE "
              + tableOwner
              + " IN SCHEMA public GRANT SELECT ON TABLES TO "
              + reader);
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE "
              + tableOwner
              + " IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
              + writer);
    }
  }

  private static void createRole(Connection admin, String role, String password, String settings)
      throws SQLException {
    identifier(role);
    if (password.contains("$$")) {
      throw new IllegalArgumentException("the password of role " + role + " must not contain $$");
    }
    String login =
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
            + (password.isEmpty() ? "NULL" : "''" + password.replace("'", "''''") + "''");
    try (Statement s = admin.createStatement()) {
      // CREATE ROLE has no IF NOT EXISTS; the statement runs as a string inside the block, hence
      // the doubled quotes of the password. Two writers of one server may race to create it: the
      // one that loses finds it created, with the same password and settings.
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + role
              + "') THEN EXECUTE 'CREATE ROLE "
              + role
              + " "
              + login
              + "'; "
              + (settings.isEmpty() ? "" : "EXECUTE '" + settings + "'; ")
              + "END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
    }
  }

  private static String identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not a lower-case SQL identifier of at most 63 characters");
    }
    return name;
  }

  private static String quoted(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
