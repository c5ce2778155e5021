package dev.shardpipe.catalog;

import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * SQL over every shard (docs/sql.md): the catalog database holds each event kind's table (such as
 * {@code tweets} and {@code file_metadata}) as a partitioned table whose children are {@code
 * postgres_fdw} foreign tables on the owning shards' child tables, so an analyst can run one query
 * over all shards with psql.
 *
 * <p>Each shard is a foreign server {@code shard_<name>} (with {@code async_capable}, so the scans
 * of several shards run in parallel, and {@code updatable 'false'}: writes go through Kafka), and
 * each partition one foreign table (such as {@code tweets_p5}) on the server of the shard placement
 * names. Every statement here runs inside the catalog transaction that changes shards or placement,
 * so a reader of the catalog's tables never sees a partition missing or counted twice. The DDL
 * takes the parent table's lock; a lock wait longer than {@value #LOCK_TIMEOUT} (a long analyst
 * query) fails the change, which its caller retries, rather than holding up every move.
 */
final class ShardSql {

  /** The longest a placement change waits for an analyst's query on the catalog: {@value}. */
  static final String LOCK_TIMEOUT = "2s";

  /** Every event kind's table, in {@link EventKind} order; tombstones stay on the shards. */
  private static final List<ShardTable> TABLES =
      Arrays.stream(EventKind.values()).map(ShardSchema::rows).toList();

  private final String user;
  private final String password;

  /**
   * Creates the generator.
   *
   * @param user the role the catalog's foreign servers connect to the shards as
   * @param password its password, empty for none
   */
  ShardSql(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** Creates the extension and the partitioned parents, unless they exist. */
  void ensureParents(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw");
      for (ShardTable table : TABLES) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + table.name()
                + " ("
                + table.columns().stream()
                    .map(col -> col.name() + " " + col.sqlType())
                    .collect(Collectors.joining(", "))
                + ") PARTITION BY LIST (partition)");
      }
    }
  }

  /** Creates a shard's foreign server and user mapping, or replaces them. */
  void addServer(Connection c, Shard shard) throws SQLException {
    Endpoint endpoint = Endpoint.of(shard.url());
    String server = server(shard.name());
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      s.execute("DROP SERVER IF EXISTS " + server + " CASCADE");
      s.execute(
          "CREATE SERVER "
              + server
              + " FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host "
              + literal(endpoint.host())
              + ", port "
              + literal(String.valueOf(endpoint.port()))
              + ", dbname "
              + literal(endpoint.database())
              + ", async_capable 'true', updatable 'false', fetch_size '10000')");
      s.execute(
          "CREATE USER MAPPING FOR PUBLIC SERVER "
              + server
              + " OPTIONS (user "
              + literal(user)
              + (password.isEmpty() ? "" : ", password " + literal(password))
              + ")");
    }
  }

  /** Drops a shard's server; it holds no partition any more. */
  void dropServer(Connection c, String shard) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      s.execute("DROP SERVER IF EXISTS " + server(shard) + " CASCADE");
    }
  }

  /** Points a partition's foreign tables at the shard that now holds it. */
  void place(Connection c, int partition, String shard) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      for (ShardTable table : TABLES) {
        String child = table.childName(partition);
        s.execute("DROP FOREIGN TABLE IF EXISTS " + child);
        s.execute(
            "CREATE FOREIGN TABLE "
                + child
                + " PARTITION OF "
                + table.name()
                + " FOR VALUES IN ("
                + partition
                + ") SERVER "
                + server(shard)
                + " OPTIONS (schema_name 'public', table_name "
                + literal(child)
                + ")");
      }
    }
  }

  static String server(String shard) {
    return "shard_" + shard;
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** Host, port and database of a {@code jdbc:postgresql://host[:port]/database[?...]} URL. */
  record Endpoint(String host, int port, String database) {

    static Endpoint of(String jdbcUrl) {
      URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
      if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
        throw new CatalogRefusedException(
            "cannot read host and database from "
                + jdbcUrl
                + "; expected jdbc:postgresql://host[:port]/database");
      }
      return new Endpoint(
          uri.getHost().toLowerCase(Locale.ROOT),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          uri.getPath().substring(1));
    }
  }
}
