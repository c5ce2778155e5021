package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.shards.CatalogView;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the shards are (picocli mixin of every command that reads them): the catalog, which names
 * the shards, their URLs and the placement of every partition as it changes during a run, and the
 * login of the shards themselves. Defined once here for every command; docs/loadgen.md lists them.
 */
final class CatalogOptions {

  /** The environment variable that overrides the default catalog URL: {@value}. */
  static final String URL_VARIABLE = "SHARDPIPE_CATALOG_URL";

  @Option(
      names = "--catalog-url",
      defaultValue = "${env:" + URL_VARIABLE + ":-" + CatalogView.DEFAULT_URL + "}",
      description =
          "The catalog's JDBC URL: the shards, their URLs and the placement come from it."
              + " Default: $"
              + URL_VARIABLE
              + ", else "
              + CatalogView.DEFAULT_URL
              + ".")
  private String catalogUrl;

  @Option(
      names = "--catalog-user",
      defaultValue = "postgres",
      description = "Default: ${DEFAULT-VALUE}.")
  private String catalogUser;

  @Option(names = "--catalog-password", defaultValue = "", description = "Default: empty.")
  private String catalogPassword;

  @Option(
      names = "--catalog-timeout",
      defaultValue = CatalogView.DEFAULT_TIMEOUT,
      description = "How long to wait for the catalog's first answer. Default: ${DEFAULT-VALUE}.")
  private Duration catalogTimeout;

  @Option(
      names = "--database-user",
      defaultValue = "postgres",
      description = "The shards' database user. Default: ${DEFAULT-VALUE}.")
  private String databaseUser;

  @Option(names = "--database-password", defaultValue = "", description = "Default: empty.")
  private String databasePassword;

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException naming the option and the bad value
   */
  CatalogSettings settings() {
    return new CatalogSettings(
        catalogUrl, catalogUser, catalogPassword, catalogTimeout, databaseUser, databasePassword);
  }

  /**
   * The validated options.
   *
   * @param url the catalog's JDBC URL
   * @param user the catalog's database user
   * @param password its password
   * @param timeout how long to wait for the catalog's first answer
   * @param databaseUser the shards' database user
   * @param databasePassword their password
   */
  record CatalogSettings(
      String url,
      String user,
      String password,
      Duration timeout,
      String databaseUser,
      String databasePassword) {

    CatalogSettings {
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "--catalog-url must be a jdbc:postgresql: URL, was " + url);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("--catalog-timeout must be positive, was " + timeout);
      }
    }

    /**
     * Connects to the catalog and waits for its first snapshot.
     *
     * @param actor the command, as the catalog names who reads
     * @throws IllegalStateException if the catalog cannot be read in time
     * @throws InterruptedException if interrupted
     */
    CatalogView open(String actor) throws InterruptedException {
      return CatalogView.open(url, user, password, actor, timeout);
    }
  }
}
