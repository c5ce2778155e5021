package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.store.ShardStore;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shardctl add-shard NAME [--url JDBC_URL] [--region R]}. */
@Command(
    name = "add-shard",
    description = {
      "Registers a shard and creates its tables. It holds no partition until one is moved to it"
          + " (move, rebalance); its writer must run (the devstack starts it).",
      "Without --url, creates the database shard_NAME on the catalog's PostgreSQL server."
    })
final class AddShardCommand extends SessionCommand {

  private static final Pattern NAME = Pattern.compile(Placement.SHARD_NAME_PATTERN);
  private static final Pattern REGION = Pattern.compile(RegionPins.REGION_PATTERN);

  /** {@code jdbc:postgresql://host[:port]/database[?parameters]}. */
  private static final Pattern SERVER_URL =
      Pattern.compile("(jdbc:postgresql://[^/]*/)([^?]+)(\\?.*)?");

  @Parameters(index = "0", paramLabel = "NAME", description = "[a-z][a-z0-9_]{0,30}")
  String name;

  @Option(
      names = "--url",
      paramLabel = "JDBC_URL",
      description =
          "The shard's database, which must exist (default: shard_NAME beside the catalog).")
  @Nullable
  String url;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "The region it serves; pinned partitions of that region may be placed on it.")
  @Nullable
  String region;

  @Override
  int run(Session session, PrintWriter out) throws SQLException {
    if (!NAME.matcher(name).matches()) {
      throw new ShardctlException(
          "shard name \"" + name + "\" must match " + Placement.SHARD_NAME_PATTERN);
    }
    if (region != null && !REGION.matcher(region).matches()) {
      throw new ShardctlException(
          "region \"" + region + "\" must match " + RegionPins.REGION_PATTERN);
    }
    CatalogSnapshot catalog = session.snapshot();
    if (catalog.shard(name).isPresent()) {
      throw new ShardctlException(
          "a shard named " + name + " exists already; shard names are never reused");
    }
    String shardUrl = url;
    if (shardUrl == null) {
      shardUrl = besideCatalog(session.options().topology().catalogUrl(), "shard_" + name);
      if (createDatabase(session, "shard_" + name)) {
        out.println("created database shard_" + name + " on the catalog's server");
      }
    }
    try {
      new ShardStore(session.server(shardUrl), name, session.options().topic).migrate();
    } catch (RuntimeException e) {
      throw new ShardctlException(
          "cannot create the shard tables at " + shardUrl + ": " + rootMessage(e), e);
    }
    Shard shard = session.catalog().addShard(name, shardUrl, region, Session.ACTOR);
    out.println(
        "shard "
            + shard.name()
            + " added at "
            + shard.url()
            + (region == null ? "" : " in region " + region)
            + "; it holds no partition yet: `shardctl rebalance` gives it its share");
    return 0;
  }

  /** The URL of another database on the catalog's server, with the catalog URL's parameters. */
  static String besideCatalog(String catalogUrl, String database) {
    Matcher m = SERVER_URL.matcher(catalogUrl);
    if (!m.matches()) {
      throw new ShardctlException(
          "cannot tell the catalog's server from "
              + catalogUrl
              + "; pass the shard's database with --url");
    }
    return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
  }

  /** Creates a database on the catalog's server unless it exists; true when created. */
  private static boolean createDatabase(Session session, String database) throws SQLException {
    try (Connection c = session.server(session.options().topology().catalogUrl()).getConnection()) {
      try (PreparedStatement exists =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (Statement create = c.createStatement()) {
        // CREATE DATABASE takes no bind parameters; the name matched the shard name pattern.
        create.execute("CREATE DATABASE " + database);
      }
      return true;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
