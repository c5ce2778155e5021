package dev.shardpipe.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

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
                "Tweets and file metadata in over HTTP (SPEC 6). 202 means Kafka acknowledged"
                    + " every event of the request with acks=all from an idempotent producer;"
                    + " every error is application/problem+json (RFC 9457)."))
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
