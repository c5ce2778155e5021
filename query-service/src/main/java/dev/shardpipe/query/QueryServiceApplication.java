package dev.shardpipe.query;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Runs the query service (docs/contract.md §7): {@code java -jar query-service.jar}, listening on
 * 127.0.0.1:8081 unless {@code micronaut.server.*} says otherwise. The OpenAPI document is written
 * at compile time and served at {@code /swagger/query-service.yml}, with Swagger UI at {@code
 * /swagger-ui/}.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "shardpipe query-service",
            version = "1",
            description =
                "Tweets and file metadata read across the PostgreSQL shards: routed"
                    + " when the shard key is known, merged newest first with keyset cursors when"
                    + " not; partial answers name the missing shards. Every error is"
                    + " application/problem+json (RFC 9457)."),
    // Swagger UI's Authorize button sends the token of every request it makes.
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description =
        "An HS256 JWT with a roles claim (docs/security.md): role read (or admin); /stats and /prometheus need admin.")
public final class QueryServiceApplication {

  private QueryServiceApplication() {}

  /**
   * Starts the service; it runs until the JVM is stopped.
   *
   * @param args Micronaut command-line properties, such as {@code --micronaut.server.port=9081}
   */
  public static void main(String[] args) {
    Micronaut.build(args).mainClass(QueryServiceApplication.class).start();
  }
}
