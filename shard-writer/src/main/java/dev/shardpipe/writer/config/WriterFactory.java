package dev.shardpipe.writer.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogConfiguration;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.config.TopicLayout;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.move.ShardDataSources;
import dev.shardpipe.store.ShardStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.clients.admin.AdminClient;

/**
 * Resolves the writer's shard against the catalog and opens the pool to its database, at the URL
 * the catalog gives, and the store on it. Start-up waits for the catalog (up to {@code
 * shardpipe.writer.catalog-timeout}): a writer that does not know which partitions are its own has
 * nothing safe to do. The shard is checked before the pool exists, so a wrong name is reported as
 * such rather than as a connection error to a database that does not exist.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Factory
final class WriterFactory {

  @Context
  WriterShard writerShard(
      WriterConfiguration config,
      CatalogWatcher catalog,
      AdminClient admin,
      PipelineConfiguration pipeline)
      throws InterruptedException {
    // A topic with another partition count is the graver error: checked before the catalog.
    TopicLayout.verify(
        admin, pipeline.topic(), pipeline.partitions(), pipeline.topicCheckTimeout());
    String shard = config.shard();
    if (shard == null || shard.isBlank()) {
      throw new IllegalStateException(
          WriterConfiguration.PREFIX
              + ".shard is not set; start the writer with --shard=<name> or"
              + " SHARDPIPE_WRITER_SHARD=<name>");
    }
    if (!catalog.awaitLoaded(config.catalogTimeout())) {
      throw new IllegalStateException(
          "shard ["
              + shard
              + "]: the catalog could not be read within "
              + config.catalogTimeout()
              + " ("
              + catalog.lastError()
              + "); the writer needs it to know its partitions");
    }
    CatalogSnapshot snapshot = catalog.current();
    Shard known =
        snapshot
            .shard(shard)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        WriterConfiguration.PREFIX
                            + ".shard is "
                            + shard
                            + ", which the catalog does not name; shards are "
                            + snapshot.shards()));
    if (known.state() == ShardState.REMOVED) {
      throw new IllegalStateException(
          "shard " + shard + " is removed from the catalog; its writer has nothing to do");
    }
    return new WriterShard(shard, known.url());
  }

  @Singleton
  @Bean(preDestroy = "close")
  ShardPool shardPool(
      WriterShard shard, DatabaseConfiguration database, WriterConfiguration config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("shard-" + shard.name());
    hikari.setJdbcUrl(shard.url());
    hikari.setUsername(database.user());
    hikari.setPassword(database.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setAutoCommit(false);
    // Start even when the database is down: the writer retries with backoff until it is back.
    hikari.setInitializationFailTimeout(-1);
    return new ShardPool(new HikariDataSource(hikari));
  }

  @Singleton
  ShardStore shardStore(ShardPool pool, WriterShard shard, PipelineConfiguration pipeline) {
    return new ShardStore(pool.dataSource(), shard.name(), pipeline.topic());
  }

  @Singleton
  @Bean(preDestroy = "close")
  ShardDataSources moveDataSources(
      ShardPool pool,
      WriterShard shard,
      DatabaseConfiguration database,
      WriterConfiguration config) {
    ShardDataSources shards =
        new ShardDataSources(database.user(), database.password(), config.connectionTimeout());
    shards.register(shard.name(), pool.dataSource());
    return shards;
  }

  @Singleton
  MoveSteps moveSteps(
      Catalog catalog,
      ShardDataSources shards,
      PipelineConfiguration pipeline,
      CatalogConfiguration catalogConfig,
      WriterConfiguration config) {
    return new MoveSteps(
        catalog,
        shards,
        pipeline.topic(),
        catalogConfig.readerLiveWithin(),
        config.readerGrace(),
        Clock.systemUTC());
  }
}
