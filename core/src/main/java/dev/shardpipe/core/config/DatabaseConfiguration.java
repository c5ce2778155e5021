package dev.shardpipe.core.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where each shard's database lives, under {@value #PREFIX}. One URL template serves every shard
 * the placement names, so adding a shard is a placement change, not a new block of configuration
 * per service.
 *
 * @param urlTemplate the JDBC URL with {@value #SHARD_PLACEHOLDER} where the shard name goes;
 *     default {@value #DEFAULT_URL_TEMPLATE}; for one server per shard, for example {@code
 *     jdbc:postgresql://pg-{shard}:5432/shard_{shard}}
 * @param user the database user; default {@value #DEFAULT_USER}
 * @param password the password; default empty (the devstack trusts local connections)
 */
@ConfigurationProperties(DatabaseConfiguration.PREFIX)
public record DatabaseConfiguration(
    @Bindable(defaultValue = DEFAULT_URL_TEMPLATE) String urlTemplate,
    @Bindable(defaultValue = DEFAULT_USER) String user,
    @Bindable(defaultValue = "") String password) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.database";

  /** The placeholder for the shard name: {@value}. */
  public static final String SHARD_PLACEHOLDER = "{shard}";

  /** Default URL template, the devstack's PostgreSQL (SPEC 9): {@value}. */
  public static final String DEFAULT_URL_TEMPLATE =
      "jdbc:postgresql://localhost:5433/shard_{shard}";

  /** Default user: {@value}. */
  public static final String DEFAULT_USER = "postgres";

  /**
   * Checks the template.
   *
   * @throws IllegalArgumentException if the template is not a PostgreSQL JDBC URL or lacks the
   *     placeholder, which would make every shard write into one database
   */
  public DatabaseConfiguration {
    if (!urlTemplate.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          PREFIX + ".url-template must start with jdbc:postgresql:, was \"" + urlTemplate + "\"");
    }
    if (!urlTemplate.contains(SHARD_PLACEHOLDER)) {
      throw new IllegalArgumentException(
          PREFIX
              + ".url-template must contain "
              + SHARD_PLACEHOLDER
              + " so that each shard has its own database, was \""
              + urlTemplate
              + "\"");
    }
  }

  /**
   * Returns the JDBC URL of one shard.
   *
   * @param shard a shard name from the placement
   * @return the template with the shard name in place of {@value #SHARD_PLACEHOLDER}
   */
  public String urlFor(String shard) {
    return urlTemplate.replace(SHARD_PLACEHOLDER, shard);
  }
}
