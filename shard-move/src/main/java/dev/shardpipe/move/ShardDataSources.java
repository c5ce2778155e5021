package dev.shardpipe.move;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.catalog.Shard;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Connection pools to the shards a move touches, opened on first use from the shard's URL in the
 * catalog and kept until closed. A component that already has a pool to its own shard (a writer)
 * registers it, so that the steps it runs there share its connections.
 *
 * <p>Thread-safe.
 */
public final class ShardDataSources implements AutoCloseable {

  /** Connections per pool this class opens: {@value}. A move needs two at most per shard. */
  public static final int POOL_SIZE = 3;

  private final String user;
  private final String password;
  private final Duration connectionTimeout;
  private final Map<String, DataSource> registered = new ConcurrentHashMap<>();
  private final Map<String, HikariDataSource> opened = new ConcurrentHashMap<>();

  /**
   * Creates the pools' settings; nothing is opened yet.
   *
   * @param user the database user for every shard
   * @param password its password, empty for none
   * @param connectionTimeout how long a step waits for a connection before it fails
   */
  public ShardDataSources(String user, String password, Duration connectionTimeout) {
    this.user = user;
    this.password = password;
    this.connectionTimeout = connectionTimeout;
  }

  /**
   * Uses a pool of the caller's for one shard instead of opening one; the caller closes it.
   *
   * @param shard the shard's name
   * @param dataSource a pool to its database
   */
  public void register(String shard, DataSource dataSource) {
    registered.put(shard, dataSource);
  }

  /**
   * Returns the pool of a shard, opening it on first use.
   *
   * @param shard the shard, with its URL from the catalog
   * @return the pool; connections come with auto-commit off, as the shard store expects
   */
  public DataSource of(Shard shard) {
    DataSource own = registered.get(shard.name());
    if (own != null) {
      return own;
    }
    return opened.computeIfAbsent(shard.name(), name -> open(shard));
  }

  private HikariDataSource open(Shard shard) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("move-" + shard.name());
    hikari.setJdbcUrl(shard.url());
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(0);
    hikari.setAutoCommit(false);
    hikari.setConnectionTimeout(connectionTimeout.toMillis());
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  /** Closes the pools this class opened. */
  @Override
  public void close() {
    opened.values().forEach(HikariDataSource::close);
    opened.clear();
  }
}
