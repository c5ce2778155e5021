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
import dev.shardpipe.store.ShardRoles;
import dev.shardpipe.store.ShardStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
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

  /**
   * Connections of the owner's pool: {@value}. A migration holds one, Flyway's lock another, and a
   * partition drop one while a move's fence may need one more.
   */
  static final int SCHEMA_POOL_SIZE = 3;

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
    HikariDataSource schema =
        pool("schema-" + shard.name(), shard, database.owner(), SCHEMA_POOL_SIZE, config);
    // Migrations at start-up and partition tables when a move lands or leaves: rarely needed.
    schema.setMinimumIdle(0);
    return new ShardPool(
        pool(
            "shard-" + shard.name(),
            shard,
            database.writer(shard.name()),
            config.poolSize(),
            config),
        schema);
  }

  private static HikariDataSource pool(
      String name,
      WriterShard shard,
      DatabaseConfiguration.Login login,
      int size,
      WriterConfiguration config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setJdbcUrl(shard.url());
    hikari.setUsername(login.user());
    hikari.setPassword(login.password());
    hikari.setMaximumPoolSize(size);
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setAutoCommit(false);
    // Start even when the database is down: the writer retries with backoff until it is back.
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  @Singleton
  ShardStore shardStore(
      ShardPool pool,
      WriterShard shard,
      DatabaseConfiguration database,
      PipelineConfiguration pipeline) {
    return new ShardStore(
        pool.dataSource(),
        pool.schemaDataSource(),
        grants(shard, database),
        shard.name(),
        pipeline.topic());
  }

  /**
   * With a writer and a reader role configured, the migration also creates them when they do not
   * exist (the owner needs {@code CREATEROLE} for that, or an operator creates them first) and
   * grants them their privileges in this shard's database (docs/security.md).
   */
  private static @Nullable ShardStore.SchemaGrants grants(
      WriterShard shard, DatabaseConfiguration database) {
    DatabaseConfiguration.Login owner = database.owner();
    DatabaseConfiguration.Login writer = database.writer(shard.name());
    DatabaseConfiguration.Login reader = database.reader();
    if (writer.user().equals(owner.user()) || reader.user().equals(owner.user())) {
      return null;
    }
    return connection -> {
      ShardRoles.createReader(connection, reader.user(), reader.password());
      ShardRoles.createWriter(connection, writer.user(), writer.password());
      ShardRoles.grant(connection, reader.user(), writer.user(), owner.user());
    };
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
    // The move steps a writer runs on its own shard fence a partition and drop its tables, which
    // only the owner may.
    shards.register(shard.name(), pool.schemaDataSource());
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
