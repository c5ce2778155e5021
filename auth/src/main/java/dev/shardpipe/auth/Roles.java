package dev.shardpipe.auth;

import java.util.List;

/**
 * The roles a bearer token can carry in its {@code roles} claim, and what each may do
 * (docs/security.md). Constants, not an enum, because {@code @Secured} takes strings known at
 * compile time.
 */
public final class Roles {

  /**
   * May {@code POST} and {@code DELETE} events on ingest-api, and ask it where an event goes
   * ({@code GET /route}): {@value}.
   */
  public static final String INGEST = "ingest";

  /** May {@code GET} tweets and files on query-service: {@value}. */
  public static final String READ = "read";

  /**
   * May do everything, and alone may use {@code /stats}, {@code /ingest/bulk}, {@code /prometheus}
   * and Swagger UI: {@value}.
   */
  public static final String ADMIN = "admin";

  /** Every role, in the order tools list them. */
  public static final List<String> ALL = List.of(INGEST, READ, ADMIN);

  private Roles() {}

  /**
   * Checks a role name.
   *
   * @param role a role name, such as {@code read}
   * @return the same name
   * @throws IllegalArgumentException naming the role and the valid ones when it is not one of
   *     {@link #ALL}
   */
  public static String require(String role) {
    if (!ALL.contains(role)) {
      throw new IllegalArgumentException(
          "unknown role \"" + role + "\"; the roles are " + String.join(", ", ALL));
    }
    return role;
  }
}
