package dev.shardpipe.writer.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.store.ShardStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Resolves the writer's shard against the placement and opens the pool to its database and the
 * store on it. The shard is checked before the pool exists, so a wrong name is reported as such
 * rather than as a connection error to a database that does not exist.
 */
@Factory
final class WriterFactory {

  @Context
  WriterShard writerShard(WriterConfiguration config, Placement placement) {
    String shard = config.shard();
    if (shard == null || shard.isBlank()) {
      throw new IllegalStateException(
          WriterConfiguration.PREFIX
              + ".shard is not set; start the writer with --shard=<name> or"
              + " SHARDPIPE_WRITER_SHARD=<name>, one of "
              + placement.shards());
    }
    if (!placement.shards().contains(shard)) {
      throw new IllegalStateException(
          WriterConfiguration.PREFIX
              + ".shard is "
              + shard
              + ", which shardpipe.placement does not name; shards are "
              + placement.shards());
    }
    return new WriterShard(shard, placement.partitionsOf(shard));
  }

  @Singleton
  @Bean(preDestroy = "close")
  HikariDataSource shardDataSource(
      WriterShard shard, DatabaseConfiguration database, WriterConfiguration config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("shard-" + shard.name());
    hikari.setJdbcUrl(database.urlFor(shard.name()));
    hikari.setUsername(database.user());
    hikari.setPassword(database.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setAutoCommit(false);
    // Start even when the database is down: the writer retries with backoff until it is back.
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  @Singleton
  ShardStore shardStore(
      HikariDataSource dataSource, WriterShard shard, PipelineConfiguration pipeline) {
    return new ShardStore(dataSource, shard.name(), pipeline.topic());
  }
}
