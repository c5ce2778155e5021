package dev.shardpipe.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Runs ingest-api: {@code java -jar ingest-api.jar}, by default on 127.0.0.1:8080. The OpenAPI
 * document is written at compile time and served at {@code /swagger/ingest-api.yml}, with Swagger
 * UI at {@code /swagger-ui/}.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "shardpipe ingest-api",
            version = "1",
            description =
                "Tweets and file metadata in over HTTP. 202 means Kafka acknowledged"
                    + " every event of the request with acks=all from an idempotent producer;"
                    + " every error is application/problem+json (RFC 9457)."),
    // Swagger UI's Authorize button sends the token of every request it makes.
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description =
        "An HS256 JWT with a roles claim (docs/security.md): role ingest (or admin); POST /ingest/bulk and /prometheus need admin.")
public final class IngestApiApplication {

  private IngestApiApplication() {}

  /**
   * Starts the service.
   *
   * @param args Micronaut command-line properties, such as {@code --micronaut.server.port=8080}
   */
  public static void main(String[] args) {
    Micronaut.run(IngestApiApplication.class, args);
  }
}
