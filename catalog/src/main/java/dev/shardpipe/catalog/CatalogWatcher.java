package dev.shardpipe.catalog;

import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.placement.RegionPins;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's view of the catalog current (docs/elasticity.md): on its own thread it
 * migrates and seeds the catalog on first contact, then {@code LISTEN}s on {@value Catalog#CHANNEL}
 * and reads the catalog again whenever a notification arrives or, should one be lost, when a poll
 * every {@code shardpipe.catalog.poll-interval} finds a newer version. A change is therefore seen
 * within milliseconds, and within one poll interval at worst.
 *
 * <p>When the catalog cannot be reached the watcher keeps the last snapshot it read, says so
 * through {@link #connected()} (and the {@code catalog} entry of {@code /health}), and reconnects
 * every {@code shardpipe.catalog.retry-interval}. Until the first read succeeds, {@link #current()}
 * is the placement of {@code shardpipe.placement} at version 0; writers wait for {@link
 * #awaitLoaded} instead, since applying a partition the catalog has moved away would be wrong.
 */
@Context
public final class CatalogWatcher implements PlacementSource {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogWatcher.class);

  private final Catalog catalog;
  private final CatalogConfiguration config;
  private final Placement seed;
  private final Map<String, String> seedUrls;
  private final Map<String, String> seedRegions;
  private final String actor;
  private final Clock clock;
  private final AtomicReference<CatalogSnapshot> current;
  private final List<Consumer<CatalogSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final Thread thread;

  private volatile boolean running = true;
  private volatile boolean connected;
  private volatile @Nullable String lastError;
  private volatile Instant lastChecked = Instant.EPOCH;

  CatalogWatcher(
      Catalog catalog,
      CatalogConfiguration config,
      PipelineConfiguration pipeline,
      DatabaseConfiguration database,
      @Named(Placement.SEED) Placement seed,
      @Value("${micronaut.application.name:service}") String applicationName) {
    this.catalog = catalog;
    this.config = config;
    this.seed = seed;
    this.seedUrls = new LinkedHashMap<>();
    seed.shards().forEach(shard -> seedUrls.put(shard, database.urlFor(shard)));
    this.seedRegions = RegionPins.parse("shard", pipeline.shardRegions());
    this.actor = applicationName;
    this.clock = Clock.systemUTC();
    this.current = new AtomicReference<>(fromSeed(seed, seedUrls, seedRegions));
    this.thread = new Thread(this::run, "catalog-watcher");
    this.thread.setDaemon(true);
  }

  private static CatalogSnapshot fromSeed(
      Placement seed, Map<String, String> urls, Map<String, String> regions) {
    Map<Integer, String> placement = new LinkedHashMap<>();
    for (int p = 0; p < seed.partitions(); p++) {
      placement.put(p, seed.shardOf(p));
    }
    return new CatalogSnapshot(
        0,
        seed.partitions(),
        seed.shards().stream()
            .map(s -> new Shard(s, urls.get(s), regions.get(s), ShardState.ACTIVE))
            .toList(),
        placement,
        List.of());
  }

  @PostConstruct
  void start() {
    thread.start();
  }

  /**
   * Stops watching and closes the listening connection.
   *
   * @throws InterruptedException if interrupted while waiting for the thread
   */
  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }

  @Override
  public CatalogSnapshot current() {
    return current.get();
  }

  /**
   * Tells whether the last attempt to read the catalog succeeded.
   *
   * @return false while the catalog is unreachable (the snapshot is then the last one read)
   */
  public boolean connected() {
    return connected;
  }

  /**
   * Tells whether the catalog has been read at least once.
   *
   * @return false while {@link #current()} is still the seed placement
   */
  public boolean loaded() {
    return loaded.getCount() == 0;
  }

  /**
   * Returns why the catalog could not be read the last time.
   *
   * @return the error, or null while connected
   */
  public @Nullable String lastError() {
    return lastError;
  }

  /**
   * Returns when the catalog was last read or checked successfully.
   *
   * @return the instant, {@link Instant#EPOCH} before the first success
   */
  public Instant lastChecked() {
    return lastChecked;
  }

  /**
   * Waits until the catalog has been read once.
   *
   * @param timeout how long to wait at most
   * @return true when read, false when the time ran out
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Calls a listener with every new snapshot, on the watcher's thread, and once now with the
   * current one if the catalog has been read already. A listener must return quickly.
   *
   * @param listener called with each newer snapshot
   */
  public void addListener(Consumer<CatalogSnapshot> listener) {
    listeners.add(listener);
    if (loaded()) {
      listener.accept(current.get());
    }
  }

  /**
   * Reads the catalog now, on the caller's thread, and publishes the snapshot if it is newer. For a
   * component that has just changed the catalog and wants to act on it without waiting for the
   * notification.
   *
   * @return the snapshot now current
   */
  public CatalogSnapshot refresh() {
    publish(catalog.load());
    return current.get();
  }

  private void run() {
    Connection listening = null;
    boolean ready = false;
    while (running) {
      try {
        if (listening == null) {
          listening = catalog.openDedicated();
          if (!ready) {
            catalog.migrate();
            catalog.seedIfEmpty(seed, seedUrls, seedRegions, actor);
            ready = true;
          }
          try (Statement s = listening.createStatement()) {
            s.execute("LISTEN " + Catalog.CHANNEL);
          }
          publish(catalog.load());
          markConnected();
        }
        listening
            .unwrap(PGConnection.class)
            .getNotifications((int) config.pollInterval().toMillis());
        if (versionOf(listening) != current.get().version()) {
          publish(catalog.load());
        }
        markConnected();
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        if (connected || lastError == null) {
          LOG.warn(
              "catalog [{}]: unreachable, serving placement version {} until it is back: {}",
              catalog.url(),
              current.get().version(),
              e.toString());
        }
        connected = false;
        lastError = e.toString();
        closeQuietly(listening);
        listening = null;
        sleep(config.retryInterval());
      }
    }
    closeQuietly(listening);
  }

  private void markConnected() {
    if (!connected) {
      LOG.info(
          "catalog [{}]: connected, placement version {}", catalog.url(), current.get().version());
    }
    connected = true;
    lastError = null;
    lastChecked = clock.instant();
  }

  private void publish(CatalogSnapshot snapshot) {
    CatalogSnapshot before = current.get();
    if (loaded() && snapshot.version() <= before.version()) {
      return;
    }
    current.set(snapshot);
    loaded.countDown();
    LOG.info(
        "catalog: placement version {}, {} moves under way",
        snapshot.version(),
        snapshot.activeMoves().size());
    for (Consumer<CatalogSnapshot> listener : listeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        LOG.error("catalog: a listener failed on version {}", snapshot.version(), e);
      }
    }
  }

  private static long versionOf(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT version FROM catalog_meta");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("catalog: closing the listening connection failed", e);
      }
    }
  }
}
