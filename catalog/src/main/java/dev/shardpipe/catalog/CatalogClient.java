package dev.shardpipe.catalog;

import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalog for a command-line tool (shardctl, the devstack, loadgen, bench): a small Micronaut
 * context holding only the catalog's beans, so tools read and change the catalog through the same
 * code as the services.
 */
public final class CatalogClient implements AutoCloseable {

  /**
   * The Micronaut environment of a tool's context: {@value}. The services' eager beans (a writer's
   * consumer loop, query-service's pools) are not created in it, so a tool whose classpath also
   * holds a service (a test, say) gets the catalog and nothing else.
   */
  public static final String TOOL_ENVIRONMENT = "shardpipe-tool";

  private final ApplicationContext context;

  private CatalogClient(ApplicationContext context) {
    this.context = context;
  }

  /**
   * Connects to a catalog. Its watcher migrates and seeds it on first contact, from the {@code
   * shardpipe.*} settings given (defaults otherwise).
   *
   * @param url the catalog's JDBC URL, such as {@code
   *     jdbc:postgresql://localhost:5433/shardpipe_catalog}
   * @param user the database user
   * @param password the password, empty for none
   * @param settings further settings, such as {@code shardpipe.placement}; may be empty
   * @return the client; close it when done
   */
  public static CatalogClient open(
      String url, String user, String password, Map<String, Object> settings) {
    Map<String, Object> properties = new LinkedHashMap<>(settings);
    properties.put("datasources.catalog.url", url);
    properties.put("datasources.catalog.username", user);
    properties.put("datasources.catalog.password", password);
    properties.put("datasources.catalog.driver-class-name", "org.postgresql.Driver");
    properties.put("datasources.catalog.maximum-pool-size", 2);
    properties.put("datasources.catalog.initialization-fail-timeout", -1);
    properties.putIfAbsent("micronaut.application.name", "tool");
    // A tool has no health endpoint; the monitor would only try to build the indicators of any
    // service that happens to be on the classpath.
    properties.put("micronaut.health.monitor.enabled", false);
    return new CatalogClient(
        ApplicationContext.builder()
            .environments(TOOL_ENVIRONMENT)
            .enableDefaultPropertySources(false)
            .properties(properties)
            .start());
  }

  /**
   * Returns the catalog.
   *
   * @return the catalog
   */
  public Catalog catalog() {
    return context.getBean(Catalog.class);
  }

  /**
   * Returns the watcher of the catalog.
   *
   * @return the watcher
   */
  public CatalogWatcher watcher() {
    return context.getBean(CatalogWatcher.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
