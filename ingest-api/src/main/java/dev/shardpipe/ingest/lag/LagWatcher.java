package dev.shardpipe.ingest.lag;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.ingest.config.IngestConfiguration;
import dev.shardpipe.store.AppliedOffsets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lag of every partition every {@code shardpipe.ingest.lag-refresh-interval} on its own
 * thread: the events topic's end offsets from Kafka, and from each shard of the current catalog
 * snapshot the applied offsets of the partitions placed there. A partition's lag is the end offset
 * minus its owner's applied offset (0 when the owner has applied none yet, as its writer then
 * starts at the beginning). Requests only read {@link #current()}, so a slow shard never slows a
 * request.
 *
 * <p>A partition's lag is left unknown when Kafka or its shard does not answer, and while a move is
 * switching it: during the cutover the owner's offset row is fenced and the reading has no offset
 * that says what is applied. {@link Backpressure} lets unknown partitions through.
 *
 * <p>The shards are read through one small read-only pool per shard ({@value #POOL_SIZE}
 * connection, since one thread reads them in turn), opened from the catalog's URL with {@code
 * shardpipe.database.reader-user} (or {@code user}) and its password, and closed when the shard
 * leaves the catalog or its URL changes. Exposes {@value #GAUGE} per partition (tag {@code
 * partition}), {@code NaN} while unknown.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Context
public final class LagWatcher {

  /** The gauge of each partition's lag in events: {@value}. */
  public static final String GAUGE = "shardpipe.ingest.partition.lag";

  /** Connections per shard pool: {@value}. The shards are read one after another. */
  static final int POOL_SIZE = 1;

  private static final Logger LOG = LoggerFactory.getLogger(LagWatcher.class);

  /** HikariCP's floor; a shorter timeout is silently replaced by 30 s. */
  private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);

  /** The driver's socket timeout in seconds: a shard that hangs mid-query frees the thread. */
  private static final int SOCKET_TIMEOUT_SECONDS = 2;

  private final CatalogWatcher catalog;
  private final AdminClient admin;
  private final DatabaseConfiguration database;
  private final String topic;
  private final Duration kafkaTimeout;
  private final Clock clock;
  private final ScheduledExecutorService thread;

  /** Pools by shard name; only the refresh thread touches them. */
  private final Map<String, Pool> pools = new HashMap<>();

  /** Shards whose offsets could not be read last time, so that each outage is logged once. */
  private final Set<String> failing = new HashSet<>();

  private volatile LagReading current = LagReading.NONE;
  private boolean kafkaFailing;

  LagWatcher(
      CatalogWatcher catalog,
      AdminClient admin,
      DatabaseConfiguration database,
      PipelineConfiguration pipeline,
      IngestConfiguration config,
      MeterRegistry registry,
      Clock clock) {
    this.catalog = catalog;
    this.admin = admin;
    this.database = database;
    this.topic = pipeline.topic();
    this.kafkaTimeout = config.lagRefreshInterval();
    this.clock = clock;
    IntStream.range(0, pipeline.partitions())
        .forEach(
            p ->
                Gauge.builder(GAUGE, this, w -> w.lagOf(p))
                    .description(
                        "Events of the partition not yet applied by the shard that owns it,"
                            + " as ingest-api last read it (NaN: unknown)")
                    .tag("partition", Integer.toString(p))
                    .register(registry));
    if (!config.backpressure()) {
      LOG.warn(
          "{}.max-lag is 0: backpressure is off, so events are accepted however far the writers"
              + " are behind, even past what Kafka's retention keeps",
          IngestConfiguration.PREFIX);
    }
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "partition-lag");
              t.setDaemon(true);
              return t;
            });
    long interval = config.lagRefreshInterval().toMillis();
    thread.scheduleWithFixedDelay(this::refreshSafely, 0, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Returns the latest reading.
   *
   * @return every partition's lag as last read; {@link LagReading#NONE} before the first reading
   */
  public LagReading current() {
    return current;
  }

  private double lagOf(int partition) {
    Long lag = current.lags().get(partition);
    return lag == null ? Double.NaN : lag;
  }

  private void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the next round may well succeed.
      LOG.warn("reading the partitions' lag failed", e);
    }
  }

  private void refresh() {
    CatalogSnapshot snapshot = catalog.current();
    Map<Integer, Long> ends = endOffsets(snapshot.partitions());
    Map<Integer, Long> lags = new HashMap<>();
    closeUnused(snapshot);
    for (String shard : snapshot.shards()) {
      List<Integer> partitions = snapshot.partitionsOf(shard);
      if (partitions.isEmpty() || ends.isEmpty()) {
        continue;
      }
      Map<Integer, Long> applied = applied(snapshot.shard(shard).orElseThrow(), partitions);
      if (applied == null) {
        continue;
      }
      for (int partition : partitions) {
        Long end = ends.get(partition);
        Long offset = applied.get(partition);
        if (offset == null && snapshot.activeMoveOf(partition).isPresent()) {
          // Fenced for the cutover: the owner's row says nothing until the placement switches.
          continue;
        }
        if (end != null) {
          lags.put(partition, Math.max(0, end - (offset == null ? 0 : offset)));
        }
      }
    }
    current = new LagReading(lags, clock.instant());
  }

  private Map<Integer, Long> endOffsets(int partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new HashMap<>();
    try {
      admin
          .listOffsets(request, new ListOffsetsOptions().timeoutMs((int) kafkaTimeout.toMillis()))
          .all()
          .get(kafkaTimeout.toMillis() + 500, TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      if (kafkaFailing) {
        kafkaFailing = false;
        LOG.info("topic [{}]: end offsets read again", topic);
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (!kafkaFailing) {
        kafkaFailing = true;
        LOG.warn(
            "topic [{}]: cannot read end offsets, lag unknown, nothing refused: {}",
            topic,
            e.toString());
      }
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
    return ends;
  }

  /** The shard's applied offsets, or null when it cannot be read. */
  private Map<Integer, Long> applied(Shard shard, List<Integer> partitions) {
    try (Connection connection = pool(shard).getConnection()) {
      Map<Integer, Long> offsets = AppliedOffsets.read(connection, topic, partitions);
      if (failing.remove(shard.name())) {
        LOG.info("shard [{}]: applied offsets read again", shard.name());
      }
      return offsets;
    } catch (SQLException e) {
      if (failing.add(shard.name())) {
        LOG.warn(
            "shard [{}]: cannot read applied offsets, lag of partitions {} unknown, nothing"
                + " refused for them: {}",
            shard.name(),
            partitions,
            e.toString());
      }
      return null;
    }
  }

  private HikariDataSource pool(Shard shard) {
    Pool pool = pools.get(shard.name());
    if (pool != null && pool.url().equals(shard.url())) {
      return pool.dataSource();
    }
    if (pool != null) {
      pool.dataSource().close();
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("lag-" + shard.name());
    hikari.setJdbcUrl(shard.url());
    // It only reads applied offsets: the read-only role (docs/security.md).
    DatabaseConfiguration.Login login = database.reader();
    hikari.setUsername(login.user());
    hikari.setPassword(login.password());
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(POOL_SIZE);
    hikari.setReadOnly(true);
    hikari.setAutoCommit(true);
    hikari.setInitializationFailTimeout(-1);
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    hikari.setValidationTimeout(CONNECTION_TIMEOUT.toMillis());
    hikari.addDataSourceProperty("connectTimeout", 1);
    hikari.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
    HikariDataSource dataSource = new HikariDataSource(hikari);
    pools.put(shard.name(), new Pool(shard.url(), dataSource));
    return dataSource;
  }

  private void closeUnused(CatalogSnapshot snapshot) {
    Set<String> wanted = Set.copyOf(snapshot.shards());
    pools
        .entrySet()
        .removeIf(
            e -> {
              if (wanted.contains(e.getKey())) {
                return false;
              }
              e.getValue().dataSource().close();
              failing.remove(e.getKey());
              return true;
            });
  }

  @PreDestroy
  void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pools.values().forEach(p -> p.dataSource().close());
    pools.clear();
  }

  /** A shard's pool and the URL it was opened with. */
  private record Pool(String url, HikariDataSource dataSource) {}
}
