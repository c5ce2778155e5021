package dev.shardpipe.topology;

import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The topology options (picocli mixin) of every tool that connects to a running pipeline: loadgen's
 * commands and shardctl's. Each option is defined here once, with its default: the environment
 * variable the services read for the same setting (docs/operations.md), then the devstack's value,
 * so that against the devstack no option is needed and in a container the services' environment
 * suffices. {@link #topology()} checks them and gives the one {@link Topology} value.
 */
public final class TopologyOptions {

  /** Option name: {@value}. */
  public static final String PARTITIONS = "--partitions";

  /** Option name: {@value}. */
  public static final String TWEET_LOCATIONS = "--tweet-locations";

  /** Option name: {@value}. */
  public static final String CATALOG_URL = "--catalog-url";

  /** Option name: {@value}. */
  public static final String CATALOG_USER = "--catalog-user";

  /** Option name: {@value}. */
  public static final String CATALOG_PASSWORD = "--catalog-password";

  /** Option name: {@value}; {@code --user} is the same option, shardctl's name for it. */
  public static final String DATABASE_USER = "--database-user";

  /** Option name: {@value}; {@code --password} is the same option, shardctl's name for it. */
  public static final String DATABASE_PASSWORD = "--database-password";

  /** The environment variable that overrides the default of {@code --catalog-url}: {@value}. */
  public static final String CATALOG_URL_VARIABLE = "SHARDPIPE_CATALOG_URL";

  /** The environment variable that overrides the default of {@code --database-user}: {@value}. */
  public static final String DATABASE_USER_VARIABLE = "SHARDPIPE_DATABASE_USER";

  /**
   * The environment variable that overrides the default of {@code --database-password}: {@value}.
   */
  public static final String DATABASE_PASSWORD_VARIABLE = "SHARDPIPE_DATABASE_PASSWORD";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Mixin private RoutingOptions routing;

  @Option(
      names = CATALOG_URL,
      defaultValue = "${env:" + CATALOG_URL_VARIABLE + ":-" + Topology.DEFAULT_CATALOG_URL + "}",
      description =
          "The catalog's JDBC URL: the shards, their URLs and the placement come from it."
              + " Default: $"
              + CATALOG_URL_VARIABLE
              + ", else "
              + Topology.DEFAULT_CATALOG_URL
              + ".")
  private String catalogUrl;

  @Option(
      names = CATALOG_USER,
      description = "The catalog's database user. Default: the --database-user.")
  private @Nullable String catalogUser;

  @Option(
      names = CATALOG_PASSWORD,
      description = "The catalog's password. Default: the --database-password.")
  private @Nullable String catalogPassword;

  @Option(
      names = {DATABASE_USER, "--user"},
      defaultValue = "${env:" + DATABASE_USER_VARIABLE + ":-" + Topology.DEFAULT_USER + "}",
      description =
          "The shards' database user, and the catalog's unless --catalog-user says otherwise;"
              + " --user is shardctl's name for it. Default: $"
              + DATABASE_USER_VARIABLE
              + ", else "
              + Topology.DEFAULT_USER
              + ".")
  private String databaseUser;

  @Option(
      names = {DATABASE_PASSWORD, "--password"},
      defaultValue = "${env:" + DATABASE_PASSWORD_VARIABLE + ":-}",
      description =
          "The shards' password, and the catalog's unless --catalog-password says otherwise;"
              + " --password is shardctl's name for it. Default: $"
              + DATABASE_PASSWORD_VARIABLE
              + ", else empty.")
  private String databasePassword;

  /**
   * Checks the options and returns the topology they give.
   *
   * @return the topology
   * @throws ParameterException naming the option and the bad value, which picocli prints with the
   *     usage and exit status 2 instead of a stack trace
   */
  public Topology topology() {
    try {
      return new Topology(
          routing.partitions(),
          routing.tweetLocations(),
          catalogUrl,
          catalogUser != null ? catalogUser : databaseUser,
          catalogPassword != null ? catalogPassword : databasePassword,
          databaseUser,
          databasePassword);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
    }
  }
}
