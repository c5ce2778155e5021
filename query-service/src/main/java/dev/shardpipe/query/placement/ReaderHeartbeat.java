package dev.shardpipe.query.placement;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogWatcher;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the catalog, every second, which placement version this process reads with ({@link
 * Catalog#readerSeen}). A moved partition's old copy is dropped only once every live reader reports
 * the version that placed the partition on its new shard (docs/query-service.md), so a request that
 * still reads the old shard never finds its rows gone.
 *
 * <p>Nothing is reported until the catalog has been read once: the placement of {@code
 * shardpipe.placement} that the service starts with is version 0, which would hold every cleaning
 * back for nothing. A report that fails, because the catalog is down, is logged at debug and tried
 * again a second later; it never touches a request.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Singleton
final class ReaderHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(ReaderHeartbeat.class);

  private final Catalog catalog;
  private final CatalogWatcher watcher;
  private final String instance;

  ReaderHeartbeat(Catalog catalog, CatalogWatcher watcher) {
    this.catalog = catalog;
    this.watcher = watcher;
    this.instance = instanceName();
    LOG.info("reader [{}]: reports its placement version to the catalog every second", instance);
  }

  @Scheduled(fixedDelay = "1s", initialDelay = "0s")
  void report() {
    if (!watcher.loaded()) {
      return;
    }
    long version = watcher.current().version();
    try {
      catalog.readerSeen(instance, version);
    } catch (RuntimeException e) {
      LOG.debug("reader [{}]: cannot report version {} to the catalog", instance, version, e);
    }
  }

  /**
   * Host, process id and a random suffix, so that two processes never share a name, even after a
   * restart with the same pid: {@code <host>-<pid>-<8 hex digits>}.
   */
  private static String instanceName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
  }
}
