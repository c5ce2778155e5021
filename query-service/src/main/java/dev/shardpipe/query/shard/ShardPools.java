package dev.shardpipe.query.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small HikariCP pool per shard of the current placement, to the JDBC URL the catalog gives
 * that shard, with the user and password of {@code shardpipe.database.*}.
 *
 * <p>The pools follow the catalog (docs/query-service.md): when a new placement version names a
 * shard that has no pool, one is opened; when a shard is removed, its pool is closed; the other
 * pools are left alone, so a placement change costs requests to unchanged shards nothing. A request
 * that took its placement just before a change may still ask for a shard the listener has not
 * reached yet; such a pool is opened on demand from the newest placement.
 *
 * <p>The shards are deliberately not Micronaut {@code datasources.*}: their set changes at runtime,
 * and Micronaut Data wraps every {@link DataSource} bean in a proxy that hands out connections only
 * inside its own transactions, which these plain read-only, auto-commit reads do not use. Pools
 * start even when their shard is down, so that the service answers from the others, and give up on
 * a connection after {@code shardpipe.query.connection-timeout}.
 *
 * <p>Created with the context, so that a bad {@code shardpipe.query.*} or {@code
 * shardpipe.database.*} setting stops start-up with its message rather than failing the first
 * request.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Context
final class ShardPools {

  private static final Logger LOG = LoggerFactory.getLogger(ShardPools.class);

  /** SQLSTATE {@code connection_does_not_exist}: counts as an unreachable shard. */
  private static final String NO_CONNECTION = "08003";

  private final CatalogWatcher catalog;
  private final DatabaseConfiguration database;
  private final QueryConfiguration config;
  private final MicrometerMetricsTrackerFactory metrics;

  /** Open pools by shard name; read without a lock, changed only while holding {@code this}. */
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();

  private long followedVersion = -1;
  private boolean closed;

  ShardPools(
      CatalogWatcher catalog,
      DatabaseConfiguration database,
      QueryConfiguration config,
      MeterRegistry meterRegistry) {
    this.catalog = catalog;
    this.database = database;
    this.config = config;
    this.metrics = new MicrometerMetricsTrackerFactory(meterRegistry);
    follow(catalog.current());
    catalog.addListener(this::follow);
  }

  /**
   * Opens a pool for every shard of a placement that has none, or whose URL changed, and closes the
   * pools of shards it no longer reads. Older versions than the one followed last are ignored: the
   * watcher and the constructor may deliver versions out of order.
   */
  synchronized void follow(CatalogSnapshot snapshot) {
    if (closed || snapshot.version() < followedVersion) {
      return;
    }
    followedVersion = snapshot.version();
    Set<String> wanted = Set.copyOf(snapshot.shards());
    List<String> opened = new ArrayList<>();
    for (String name : snapshot.shards()) {
      Shard shard = snapshot.shard(name).orElseThrow();
      Pool pool = pools.get(name);
      if (pool == null || !pool.url().equals(shard.url())) {
        if (pool != null) {
          closeLater(name, pool);
        }
        pools.put(name, open(shard));
        opened.add(name);
      }
    }
    List<String> gone = new ArrayList<>();
    pools
        .entrySet()
        .removeIf(
            e -> {
              if (wanted.contains(e.getKey())) {
                return false;
              }
              closeLater(e.getKey(), e.getValue());
              gone.add(e.getKey());
              return true;
            });
    if (!opened.isEmpty() || !gone.isEmpty()) {
      LOG.info(
          "placement version {}: shard pools {} open ({} opened, {} closed), {} connections each,"
              + " query timeout {}",
          snapshot.version(),
          shards(),
          opened,
          gone,
          config.poolSize(),
          config.queryTimeout());
    }
  }

  /** The shards that have a pool now, ascending. */
  private List<String> shards() {
    return List.copyOf(new TreeSet<>(pools.keySet()));
  }

  private Pool open(Shard shard) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("shard-" + shard.name());
    hikari.setJdbcUrl(shard.url());
    // The read-only role (docs/security.md): the pool's read-only flag does nothing in
    // auto-commit mode, the role's default_transaction_read_only and SELECT-only grants do.
    DatabaseConfiguration.Login login = database.reader();
    hikari.setUsername(login.user());
    hikari.setPassword(login.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setAutoCommit(true);
    hikari.setReadOnly(true);
    hikari.setInitializationFailTimeout(-1);
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setValidationTimeout(config.connectionTimeout().toMillis());
    // The driver's own limits, in whole seconds. Without them a pool thread that connects to a
    // host that accepts TCP but never answers, or reads from a server that vanished without a
    // reset, blocks for minutes, long after the request that needed it gave up.
    int connectSeconds = wholeSeconds(config.connectionTimeout());
    hikari.addDataSourceProperty("connectTimeout", connectSeconds);
    hikari.addDataSourceProperty("loginTimeout", connectSeconds);
    hikari.addDataSourceProperty("socketTimeout", wholeSeconds(config.queryTimeout()) + 1);
    hikari.setMetricsTrackerFactory(metrics);
    return new Pool(shard.url(), new HikariDataSource(hikari));
  }

  /**
   * Closes a pool off the watcher's thread: HikariCP's close waits for borrowed connections to come
   * back, and a request still reading with the previous placement may hold one for up to the query
   * timeout.
   */
  private void closeLater(String shard, Pool pool) {
    Thread closer =
        new Thread(
            () -> {
              pool.dataSource().close();
              LOG.info("shard [{}] pool closed", shard);
            },
            "shard-pool-close-" + shard);
    closer.setDaemon(true);
    closer.start();
  }

  /**
   * Rounds up to whole seconds, the unit of the PostgreSQL driver's timeouts and of {@link
   * java.sql.Statement#setQueryTimeout}.
   */
  static int wholeSeconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  /**
   * Returns a shard's pool, opening it when the newest placement names the shard and no listener
   * call has opened it yet.
   *
   * @throws SQLException with SQLSTATE {@value #NO_CONNECTION} if the newest placement no longer
   *     reads the shard (it was removed while the request ran), so the shard counts as missing
   *     rather than failing the request
   */
  DataSource pool(String shard) throws SQLException {
    Pool pool = pools.get(shard);
    return pool != null ? pool.dataSource() : openOnDemand(shard);
  }

  private synchronized DataSource openOnDemand(String shard) throws SQLException {
    Pool pool = pools.get(shard);
    if (pool != null) {
      return pool.dataSource();
    }
    CatalogSnapshot newest = catalog.current();
    Optional<Shard> known = newest.shard(shard);
    if (closed || known.isEmpty() || known.get().state() == ShardState.REMOVED) {
      throw new SQLNonTransientConnectionException(
          "no pool is open for shard "
              + shard
              + "; placement version "
              + newest.version()
              + " reads shards "
              + newest.shards(),
          NO_CONNECTION);
    }
    pool = open(known.get());
    pools.put(shard, pool);
    LOG.info("shard [{}] pool opened on demand", shard);
    return pool.dataSource();
  }

  /**
   * Tells whether a shard's pool has every connection it may open, open: a request that then waited
   * in vain for one waited for other requests, not for the shard.
   *
   * @return false also when no pool is open for the shard
   */
  boolean saturated(String shard) {
    Pool pool = pools.get(shard);
    if (pool == null) {
      return false;
    }
    HikariPoolMXBean state = pool.dataSource().getHikariPoolMXBean();
    return state != null && state.getTotalConnections() >= pool.dataSource().getMaximumPoolSize();
  }

  @PreDestroy
  synchronized void close() {
    closed = true;
    pools.values().forEach(p -> p.dataSource().close());
    pools.clear();
  }

  /** A shard's pool and the URL it was opened with. */
  private record Pool(String url, HikariDataSource dataSource) {}
}
