package dev.shardpipe.topology;

import dev.shardpipe.core.routing.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a tool must know of a running pipeline: the partition count P and the tweet location ranges
 * (which together are the routing, docs/configuration.md), where the catalog is (which names the
 * shards, their URLs and the placement, docs/elasticity.md), and the logins of the catalog and of
 * the shards. {@link TopologyOptions} parses it from a command line; {@link #arguments()} writes it
 * back as one.
 *
 * @param partitions P, as {@code shardpipe.partitions}; 1 or more
 * @param tweetLocations the tweet location ranges, as {@code shardpipe.tweet-locations}
 * @param catalogUrl the catalog's JDBC URL, {@code jdbc:postgresql:...}
 * @param catalogUser the catalog's database user
 * @param catalogPassword its password, empty for none
 * @param databaseUser the shards' database user
 * @param databasePassword their password, empty for none
 */
public record Topology(
    int partitions,
    String tweetLocations,
    String catalogUrl,
    String catalogUser,
    String catalogPassword,
    String databaseUser,
    String databasePassword) {

  /** The devstack's catalog, the default of {@code --catalog-url}: {@value}. */
  public static final String DEFAULT_CATALOG_URL =
      "jdbc:postgresql://localhost:5433/shardpipe_catalog";

  /** The default database user of the catalog and of the shards: {@value}. */
  public static final String DEFAULT_USER = "postgres";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the option at fault and the bad value
   * @throws NullPointerException if a value is null
   */
  public Topology {
    Objects.requireNonNull(tweetLocations, "tweetLocations");
    Objects.requireNonNull(catalogUrl, "catalogUrl");
    Objects.requireNonNull(catalogUser, "catalogUser");
    Objects.requireNonNull(catalogPassword, "catalogPassword");
    Objects.requireNonNull(databaseUser, "databaseUser");
    Objects.requireNonNull(databasePassword, "databasePassword");
    try {
      Routing.of(partitions, tweetLocations);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--partitions or --tweet-locations: " + e.getMessage(), e);
    }
    if (!catalogUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--catalog-url must be a jdbc:postgresql: URL, was " + catalogUrl);
    }
    if (catalogUser.isBlank() || databaseUser.isBlank()) {
      throw new IllegalArgumentException("--catalog-user and --database-user must not be blank");
    }
  }

  /**
   * Returns the routing of events to partitions.
   *
   * @return the routing of {@code partitions} and {@code tweetLocations}
   */
  public Routing routing() {
    return Routing.of(partitions, tweetLocations);
  }

  /**
   * Returns the options that give a tool this topology, for a tool that runs another one (the
   * benchmark suite runs loadgen): {@link TopologyOptions} parses them back to an equal value,
   * whatever the environment says.
   *
   * @return {@code --partitions P --tweet-locations ... --catalog-url ...} and the logins
   */
  public List<String> arguments() {
    List<String> arguments = new ArrayList<>();
    add(arguments, TopologyOptions.PARTITIONS, Integer.toString(partitions));
    add(arguments, TopologyOptions.TWEET_LOCATIONS, tweetLocations);
    add(arguments, TopologyOptions.CATALOG_URL, catalogUrl);
    add(arguments, TopologyOptions.CATALOG_USER, catalogUser);
    add(arguments, TopologyOptions.CATALOG_PASSWORD, catalogPassword);
    add(arguments, TopologyOptions.DATABASE_USER, databaseUser);
    add(arguments, TopologyOptions.DATABASE_PASSWORD, databasePassword);
    return List.copyOf(arguments);
  }

  /** {@code --name=value}, so that an empty password stays one argument. */
  private static void add(List<String> arguments, String option, String value) {
    arguments.add(option + "=" + value);
  }

  /** The passwords stay out of logs and exception messages. */
  @Override
  public String toString() {
    return "Topology[partitions="
        + partitions
        + ", tweetLocations="
        + tweetLocations
        + ", catalogUrl="
        + catalogUrl
        + ", catalogUser="
        + catalogUser
        + ", databaseUser="
        + databaseUser
        + "]";
  }
}
