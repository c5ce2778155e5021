package dev.shardpipe.loadgen.shards;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.catalog.Shard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Connection pools to the shards the catalog names, one per shard, opened on first use from the
 * shard's URL in the catalog; a shard added while a run goes on gets its pool when it is first
 * read. Connections are in auto-commit mode: every statement here is one read.
 *
 * <p>Thread-safe.
 */
public final class ShardPools implements AutoCloseable {

  private final String user;
  private final String password;
  private final int size;
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  /**
   * Sets up the pools; nothing is opened yet.
   *
   * @param user the database user of every shard
   * @param password its password, empty for none
   * @param size connections per shard, opened at once so that no measured request waits for one
   * @throws IllegalArgumentException if the size is below 1
   */
  public ShardPools(String user, String password, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("connections per shard must be >= 1, was " + size);
    }
    this.user = user;
    this.password = password;
    this.size = size;
  }

  /**
   * Returns the pool of a shard, opening it on first use.
   *
   * @param shard the shard, with its URL from the catalog
   * @return the pool
   */
  public DataSource of(Shard shard) {
    return pools.computeIfAbsent(shard.url(), url -> open(shard));
  }

  private HikariDataSource open(Shard shard) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("loadgen-" + shard.name());
    hikari.setJdbcUrl(shard.url());
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(size);
    hikari.setMinimumIdle(size);
    hikari.setAutoCommit(true);
    // Fail on first use, with the database's message, rather than at construction.
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
