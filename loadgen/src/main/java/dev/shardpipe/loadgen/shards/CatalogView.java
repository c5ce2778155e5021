package dev.shardpipe.loadgen.shards;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The catalog as a tool follows it: the newest snapshot, kept current by the catalog's own watcher
 * (notifications, polling as the fallback), so that a caller takes {@link #get()} once per poll or
 * query and sees a move within milliseconds. While the catalog is unreachable the last snapshot
 * stays current (docs/elasticity.md).
 */
public final class CatalogView implements Supplier<CatalogSnapshot>, AutoCloseable {

  /** How long {@link #open} waits for the first snapshot by default: {@value}. */
  public static final String DEFAULT_TIMEOUT = "PT15S";

  private final CatalogClient client;
  private final CatalogWatcher watcher;

  private CatalogView(CatalogClient client) {
    this.client = client;
    this.watcher = client.watcher();
  }

  /**
   * Connects to the catalog and waits for its first snapshot.
   *
   * @param url the catalog's JDBC URL
   * @param user its database user
   * @param password the password, empty for none
   * @param actor who reads, as the catalog's history names a tool
   * @param timeout how long to wait for the first snapshot
   * @return the view; close it when done
   * @throws IllegalStateException if the catalog cannot be read within the timeout, naming it and
   *     why
   * @throws InterruptedException if interrupted while waiting
   */
  public static CatalogView open(
      String url, String user, String password, String actor, Duration timeout)
      throws InterruptedException {
    CatalogClient client =
        CatalogClient.open(url, user, password, Map.of("micronaut.application.name", actor));
    try {
      CatalogView view = new CatalogView(client);
      if (!view.watcher.awaitLoaded(timeout)) {
        throw new IllegalStateException(
            "cannot read the catalog at "
                + url
                + " within "
                + timeout
                + " ("
                + view.watcher.lastError()
                + "); is the devstack running, or does --catalog-url name it?");
      }
      return view;
    } catch (InterruptedException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * Returns the newest snapshot this process has seen.
   *
   * @return the snapshot
   */
  @Override
  public CatalogSnapshot get() {
    return watcher.current();
  }

  @Override
  public void close() {
    client.close();
  }
}
