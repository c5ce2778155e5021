package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.move.ShardDataSources;
import dev.shardpipe.topology.Topology;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One command's connections: the catalog (through the same {@link Catalog} the services use), the
 * shards' databases and Kafka, the latter two opened when first needed.
 */
final class Session implements AutoCloseable {

  /** Who shardctl is in the catalog's history. */
  static final String ACTOR = "shardctl";

  private static final Duration CATALOG_WAIT = Duration.ofSeconds(20);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHARD_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long a moved partition's old copy is kept after the switch at least: longer than
   * query-service's query timeout (2 s by default), so that a read that took the old placement just
   * before the switch still finds its rows.
   */
  static final Duration READER_GRACE = Duration.ofSeconds(5);

  /** A query-service instance silent for this long is taken to be gone. */
  static final Duration READER_LIVE_WITHIN = Duration.ofSeconds(10);

  private final ConnectionOptions options;
  private final CatalogClient client;
  private final ShardDataSources shards;
  private final MoveSteps steps;
  private @Nullable Admin admin;

  private Session(ConnectionOptions options, CatalogClient client) {
    this.options = options;
    this.client = client;
    this.shards =
        new ShardDataSources(
            options.topology().databaseUser(),
            options.topology().databasePassword(),
            SHARD_CONNECT_TIMEOUT);
    this.steps =
        new MoveSteps(
            client.catalog(),
            shards,
            options.topic,
            READER_LIVE_WITHIN,
            READER_GRACE,
            Clock.systemUTC());
  }

  /**
   * Connects to the catalog and waits until it has been read once (migrated and, when empty, seeded
   * from the {@code SHARDPIPE_*} environment like the services do).
   */
  static Session open(ConnectionOptions options) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("micronaut.application.name", ACTOR);
    settings.put("shardpipe.topic", options.topic);
    Topology topology = options.topology();
    // An empty catalog is seeded from these, as the services seed it from their configuration.
    settings.put("shardpipe.partitions", topology.partitions());
    settings.put("shardpipe.tweet-locations", topology.tweetLocations());
    settings.put("shardpipe.location-regions", options.locationRegions);
    CatalogClient client =
        CatalogClient.open(
            topology.catalogUrl(), topology.catalogUser(), topology.catalogPassword(), settings);
    try {
      if (!client.watcher().awaitLoaded(CATALOG_WAIT)) {
        String error = client.watcher().lastError();
        client.close();
        throw new ShardctlException(
            "cannot read the catalog at "
                + topology.catalogUrl()
                + (error == null ? "" : ": " + error)
                + "; is it running (--catalog-url, SHARDPIPE_CATALOG_URL)?");
      }
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new ShardctlException("interrupted while connecting to the catalog", e);
    }
    return new Session(options, client);
  }

  ConnectionOptions options() {
    return options;
  }

  Catalog catalog() {
    return client.catalog();
  }

  /** Reads the catalog now. */
  CatalogSnapshot snapshot() {
    return client.catalog().load();
  }

  /** The pins of the partitions to regions, for the catalog's partition count. */
  RegionPins pins(CatalogSnapshot catalog) {
    Routing routing;
    try {
      routing = Routing.of(catalog.partitions(), options.topology().tweetLocations());
    } catch (IllegalArgumentException e) {
      throw new ShardctlException("--tweet-locations: " + e.getMessage(), e);
    }
    try {
      return RegionPins.of(routing, options.locationRegions);
    } catch (IllegalArgumentException e) {
      throw new ShardctlException("--location-regions: " + e.getMessage(), e);
    }
  }

  /** The steps of the move protocol, on this session's catalog and shard pools. */
  MoveSteps steps() {
    return steps;
  }

  /**
   * A pool to one shard's database, with this session's credentials; connections come with
   * auto-commit off.
   */
  DataSource database(Shard shard) {
    return shards.of(shard);
  }

  /** A plain connection source in auto-commit mode, for a database that is no shard yet. */
  DataSource server(String url) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url);
    // A URL that names its own user (as the test servers' do) keeps it.
    if (!url.contains("user=")) {
      source.setUser(options.topology().databaseUser());
      if (!options.topology().databasePassword().isEmpty()) {
        source.setPassword(options.topology().databasePassword());
      }
    }
    source.setConnectTimeout(10);
    source.setApplicationName(ACTOR);
    return source;
  }

  /**
   * Reads the end offset (the offset the next record will get) of partitions of the events topic.
   *
   * @throws ShardctlException if Kafka does not answer within 10 s
   */
  Map<Integer, Long> endOffsets(Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p : partitions) {
      request.put(new TopicPartition(options.topic, p), OffsetSpec.latest());
    }
    try {
      Map<TopicPartition, ListOffsetsResultInfo> answer =
          admin().listOffsets(request).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<Integer, Long> ends = new HashMap<>();
      answer.forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new ShardctlException(
          "cannot read the end offsets of "
              + options.topic
              + " from Kafka at "
              + options.bootstrapServers
              + ": "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardctlException("interrupted while reading offsets from Kafka", e);
    }
  }

  private Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, ACTOR);
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      admin = Admin.create(config);
    }
    return admin;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    shards.close();
    client.close();
  }
}
