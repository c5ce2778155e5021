package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts ingest-api in the test JVM against the shared broker and a catalog database of its own, as
 * the ingest-api ITs need it: on a random loopback port, with authentication on and the test
 * signing secret ({@link TestTokens}).
 */
public final class IngestServers {

  private IngestServers() {}

  /**
   * The settings of a server publishing to {@code topic}; a test adds or replaces some before
   * {@link #start(Map)}.
   *
   * @return a mutable map: the broker, the topic, port {@code -1}, a new empty catalog database
   *     (which the service seeds on first contact) and the signing secret
   */
  public static Map<String, Object> properties(Infrastructure infra, String topic) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
    properties.put("shardpipe.topic", topic);
    properties.put("micronaut.server.port", -1);
    properties.put("datasources.catalog.url", catalogUrl(infra));
    properties.putAll(TestTokens.serverProperties());
    return properties;
  }

  /**
   * Starts a server and waits until it read its catalog, so that its {@code 202}s name the
   * catalog's shards.
   *
   * @throws AssertionError when the catalog is not read within 30 seconds
   */
  public static EmbeddedServer start(Map<String, Object> properties) throws InterruptedException {
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
    try {
      awaitCatalog(server);
    } catch (AssertionError | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Waits until a server has read its catalog, so that its 202s name the catalog's shards. */
  public static void awaitCatalog(EmbeddedServer server) throws InterruptedException {
    assertThat(
            server
                .getApplicationContext()
                .getBean(CatalogWatcher.class)
                .awaitLoaded(Duration.ofSeconds(30)))
        .as("the catalog is read")
        .isTrue();
  }

  /** Creates an empty catalog database, which the service seeds on first contact. */
  public static String catalogUrl(Infrastructure infra) {
    return infra.createDatabase(Infrastructure.uniqueName("catalog")).replaceAll("\\?.*$", "");
  }
}
