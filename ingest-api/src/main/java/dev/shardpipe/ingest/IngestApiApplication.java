package dev.shardpipe.ingest;

import io.micronaut.runtime.Micronaut;

/** Runs ingest-api: {@code java -jar ingest-api.jar}, by default on 127.0.0.1:8080. */
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
