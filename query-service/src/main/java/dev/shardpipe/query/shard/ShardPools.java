package dev.shardpipe.query.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small HikariCP pool per shard the placement names, to the URL {@code
 * shardpipe.database.url-template} gives that shard.
 *
 * <p>The shards are not Micronaut {@code datasources.*}: placement is configuration that is meant
 * to change at runtime (SPEC 4), so the set of pools follows {@link Placement#shards()} rather than
 * a fixed block of configuration per database. Pools start even when their shard is down, so that
 * the service answers from the others, and give up on a connection after {@code
 * shardpipe.query.connection-timeout}.
 *
 * <p>Created with the context, so that a bad {@code shardpipe.query.*} or {@code
 * shardpipe.database.*} setting stops start-up with its message rather than failing the first
 * request.
 */
@Context
final class ShardPools {

  private static final Logger LOG = LoggerFactory.getLogger(ShardPools.class);

  private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();

  ShardPools(
      Placement placement,
      DatabaseConfiguration database,
      QueryConfiguration config,
      MeterRegistry meterRegistry) {
    MicrometerMetricsTrackerFactory metrics = new MicrometerMetricsTrackerFactory(meterRegistry);
    for (String shard : placement.shards()) {
      pools.put(shard, open(shard, database, config, metrics));
    }
    LOG.info(
        "shard pools {} open, {} connections each, query timeout {}",
        pools.keySet(),
        config.poolSize(),
        config.queryTimeout());
  }

  private static HikariDataSource open(
      String shard,
      DatabaseConfiguration database,
      QueryConfiguration config,
      MicrometerMetricsTrackerFactory metrics) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("shard-" + shard);
    hikari.setJdbcUrl(database.urlFor(shard));
    hikari.setUsername(database.user());
    hikari.setPassword(database.password());
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
    return new HikariDataSource(hikari);
  }

  /**
   * Rounds up to whole seconds, the unit of the PostgreSQL driver's timeouts and of {@link
   * java.sql.Statement#setQueryTimeout}.
   */
  static int wholeSeconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  /**
   * Returns a shard's pool.
   *
   * @throws IllegalArgumentException if no pool is open for the shard
   */
  DataSource pool(String shard) {
    HikariDataSource pool = pools.get(shard);
    if (pool == null) {
      throw new IllegalArgumentException(
          "no pool is open for shard " + shard + "; shards are " + pools.keySet());
    }
    return pool;
  }

  /**
   * Tells whether a shard's pool has every connection it may open, open: a request that then waited
   * in vain for one waited for other requests, not for the shard.
   *
   * @throws IllegalArgumentException if no pool is open for the shard
   */
  boolean saturated(String shard) {
    HikariDataSource pool = (HikariDataSource) pool(shard);
    HikariPoolMXBean state = pool.getHikariPoolMXBean();
    return state != null && state.getTotalConnections() >= pool.getMaximumPoolSize();
  }

  @PreDestroy
  void close() {
    pools.values().forEach(HikariDataSource::close);
  }
}
