package dev.shardpipe.query;

import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts query-service instances for the ITs: the properties every instance needs, a catalog
 * database of its own, and a start that returns once the placement is read and the server listens.
 */
public final class TestQueryService {

  private TestQueryService() {}

  /**
   * Returns the properties of an instance on loopback, on a free port, with bearer tokens on.
   *
   * @param infra the shared Kafka and PostgreSQL
   * @param topic the events topic
   * @param urlTemplate the shards' JDBC URL with {@code {shard}}
   * @param cursorSecret the cursor secret
   * @return mutable properties, to which a test may add
   */
  public static Map<String, Object> properties(
      Infrastructure infra, String topic, String urlTemplate, String cursorSecret) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.host", "127.0.0.1");
    properties.put("micronaut.server.port", -1);
    properties.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
    properties.put("shardpipe.topic", topic);
    properties.put("shardpipe.database.url-template", urlTemplate);
    properties.put("shardpipe.query.cursor-secret", cursorSecret);
    // A catalog of its own per instance: its watcher seeds it from this instance's URL template.
    properties.put(
        "datasources.catalog.url",
        infra.createDatabase(Infrastructure.uniqueName("catalog")).replaceAll("\\?.*$", ""));
    properties.putAll(TestTokens.serverProperties());
    return properties;
  }

  /**
   * Starts an instance and its server, once it has read its catalog.
   *
   * @param properties as {@link #properties} gives them
   * @return the running context; closing it stops the instance
   * @throws IllegalStateException if the catalog is not read within 30 s
   */
  public static ApplicationContext start(Map<String, Object> properties) {
    ApplicationContext context = ApplicationContext.builder().properties(properties).build();
    try {
      context.start();
      if (!context.getBean(CatalogWatcher.class).awaitLoaded(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the service did not read its catalog within 30 s");
      }
      context.getBean(EmbeddedServer.class).start();
    } catch (InterruptedException e) {
      context.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      // A context that failed to start still holds what it created before the failure.
      context.close();
      throw e;
    }
    return context;
  }

  /**
   * Returns where an instance listens.
   *
   * @param context a started instance
   * @return such as {@code http://127.0.0.1:41234}
   */
  public static URI uri(ApplicationContext context) {
    return context.getBean(EmbeddedServer.class).getURI();
  }
}
