package dev.shardpipe.core.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where each shard's database lives, under {@value #PREFIX}. One URL template serves every shard
 * the placement names, so adding a shard is a placement change, not a new block of configuration
 * per service.
 *
 * @param urlTemplate the JDBC URL with {@value #SHARD_PLACEHOLDER} where the shard name goes;
 *     default {@value #DEFAULT_URL_TEMPLATE}; for one server per shard, for example {@code
 *     jdbc:postgresql://pg-{shard}:5432/shard_{shard}}
 * @param user the database user that owns the shard tables: the writers run the migrations and
 *     create and drop partition tables as it; default {@value #DEFAULT_USER}
 * @param password the password; default empty (the devstack trusts local connections)
 * @param readerUser the read-only role query-service and ingest-api's lag reads use, or null to use
 *     {@code user} (docs/security.md)
 * @param readerPassword its password, or null for empty
 * @param writerUser the role a writer writes its rows as, {@value #SHARD_PLACEHOLDER} replaced by
 *     its shard, or null to use {@code user}
 * @param writerPassword its password, or null for empty
 */
@ConfigurationProperties(DatabaseConfiguration.PREFIX)
public record DatabaseConfiguration(
    @Bindable(defaultValue = DEFAULT_URL_TEMPLATE) String urlTemplate,
    @Bindable(defaultValue = DEFAULT_USER) String user,
    @Bindable(defaultValue = "") String password,
    @Nullable String readerUser,
    @Nullable String readerPassword,
    @Nullable String writerUser,
    @Nullable String writerPassword) {

  /** Prefix of every key: {@value}. */
  public static final String PREFIX = "shardpipe.database";

  /** The placeholder for the shard name: {@value}. */
  public static final String SHARD_PLACEHOLDER = "{shard}";

  /** Default URL template, the devstack's PostgreSQL (docs/contract.md §9): {@value}. */
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
   * A user name and password to log in to a shard with.
   *
   * @param user the role
   * @param password its password, empty for none
   */
  public record Login(String user, String password) {

    /** Never the password, so that it cannot reach a log line. */
    @Override
    public String toString() {
      return "Login[" + user + "]";
    }
  }

  /**
   * Returns the login of the owner of the shard tables: migrations and partition tables.
   *
   * @return {@code user} and {@code password}
   */
  public Login owner() {
    return new Login(user, password);
  }

  /**
   * Returns the login that only reads the shards (query-service, ingest-api's lag reads).
   *
   * @return {@code reader-user} and {@code reader-password}, or the owner's when no reader is set
   */
  public Login reader() {
    return readerUser == null || readerUser.isBlank()
        ? owner()
        : new Login(readerUser, readerPassword == null ? "" : readerPassword);
  }

  /**
   * Returns the login a shard's writer writes its rows with.
   *
   * @param shard the writer's shard
   * @return {@code writer-user} with the shard in place of {@value #SHARD_PLACEHOLDER}, and {@code
   *     writer-password}; or the owner's when no writer user is set
   */
  public Login writer(String shard) {
    return writerUser == null || writerUser.isBlank()
        ? owner()
        : new Login(
            writerUser.replace(SHARD_PLACEHOLDER, shard),
            writerPassword == null ? "" : writerPassword);
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
