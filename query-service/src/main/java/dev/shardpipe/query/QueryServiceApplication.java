package dev.shardpipe.query;

import io.micronaut.runtime.Micronaut;

/**
 * Runs the query service (SPEC 7): {@code java -jar query-service.jar}, listening on 127.0.0.1:8081
 * unless {@code micronaut.server.*} says otherwise.
 */
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
