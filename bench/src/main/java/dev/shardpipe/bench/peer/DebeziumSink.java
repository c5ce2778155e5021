package dev.shardpipe.bench.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.bench.fill.TopicFill;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.store.ShardSchema;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Connect standalone with the Debezium JDBC sink, upserting tweets from a topic into the
 * {@code tweets} table of a database migrated like a shard: {@link #produce} fills the topic with
 * the rows as Connect JSON, {@link #launch} starts the worker as a child JVM, and {@link
 * Running#awaitRows} times it until every row is in the table.
 *
 * <p>The worker runs on the JVM that runs this class, from {@code bench/target/lib} (where the
 * bench build puts {@code connect-runtime} and {@code connect-json}), with {@code plugin.path} at
 * {@code bench/target/connect-plugins} (where it unpacks Debezium's plugin archive).
 */
public final class DebeziumSink {

  /** The topic of the peer's rows, apart from the events topic the writers read. */
  public static final String TOPIC = "bench.peer.tweets";

  private static final Logger LOG = LoggerFactory.getLogger(DebeziumSink.class);
  private static final String CONNECTOR = "bench-debezium-jdbc-sink";

  /** The primary key of the shard's tweets (docs/architecture.md, "The shard schema"). */
  private static final List<String> KEY = List.of("id", "partition");

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path jar;
  private final Path lib;
  private final Path plugins;
  private final Path workDir;
  private final ConnectSinkSettings settings;
  private final Duration timeout;

  /**
   * Prepares a peer.
   *
   * @param home the repository root, with the bench module built
   * @param workDir where the worker's settings, offsets file and log go
   * @param settings the worker's and the connector's settings
   * @param timeout the longest the peer may take from launch to the last row
   * @throws IllegalArgumentException if the bench jar, its Connect classpath or the plugin is
   *     missing (the message says how to build them)
   */
  public DebeziumSink(Path home, Path workDir, ConnectSinkSettings settings, Duration timeout) {
    this.jar = home.resolve("bench/target/bench.jar");
    this.lib = home.resolve("bench/target/lib");
    this.plugins = home.resolve("bench/target/connect-plugins");
    for (Path required : List.of(jar, lib, plugins)) {
      if (!Files.exists(required)) {
        throw new IllegalArgumentException(
            required + " is missing; build it first with: mvn -q -DskipTests package");
      }
    }
    this.workDir = workDir;
    this.settings = settings;
    this.timeout = timeout;
  }

  /**
   * Creates {@link #TOPIC}. Call it well before {@link #produce}: an idempotent producer that
   * starts while a new partition's leader is still being elected can be refused its first batch and
   * then retry it out of sequence until its delivery timeout.
   *
   * @param kafka the broker
   * @param partitionCount the topic's partitions, as many as the events topic's
   * @throws IllegalStateException if the topic exists with another count or cannot be created
   */
  public static void createTopic(KafkaBroker kafka, int partitionCount) {
    kafka.ensureTopic(TOPIC, partitionCount);
  }

  /**
   * Fills {@link #TOPIC} with the rows, each to the partition the pipeline routes it to, keyed by
   * its id, with an idempotent {@code acks=all} lz4 producer as the events topic.
   *
   * @param kafka the broker
   * @param events the tweets, upserts only
   * @param partitions each event's partition, in the same order
   * @return how long producing took, every acknowledgement included
   * @throws IllegalStateException if a record is not acknowledged
   */
  public static Duration produce(KafkaBroker kafka, List<TweetEvent> events, int[] partitions)
      throws InterruptedException {
    TweetConnectJson json = new TweetConnectJson();
    return TopicFill.produce(
        kafka.bootstrapServers(),
        TOPIC,
        events,
        partitions,
        (event, partition) -> event.id().toString().getBytes(UTF_8),
        (event, partition) -> json.encode(TOPIC, event, partition));
  }

  /**
   * Writes the worker's and the connector's settings and launches the worker ({@link
   * ConnectWorker}); the clock of {@link Running#awaitRows} starts here.
   *
   * @param bootstrap the broker holding {@link #TOPIC}
   * @param postgres the server
   * @param database a database on it migrated like a shard, its {@code tweets} empty
   * @return the running worker; close it to stop it
   * @throws IOException if a file cannot be written or the JVM cannot start
   */
  public Running launch(String bootstrap, PostgresServer postgres, String database)
      throws IOException {
    Files.createDirectories(workDir);
    Path worker = workDir.resolve("worker.properties");
    Path connector = workDir.resolve("debezium-jdbc-sink.properties");
    Path logback = workDir.resolve("logback.xml");
    Path log = workDir.resolve("connect.log");
    store(settings.worker(bootstrap, plugins, workDir.resolve("connect.offsets")), worker);
    store(
        settings.connector(
            CONNECTOR,
            TOPIC,
            "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database,
            PostgresServer.USER,
            ShardSchema.TWEETS.name(),
            KEY),
        connector);
    try (InputStream in = DebeziumSink.class.getResourceAsStream("connect-logback.xml")) {
      Files.copy(in, logback, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(settings.jvmOptions());
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(jar + File.pathSeparator + lib + "/*");
    command.add(ConnectWorker.class.getName());
    command.add(worker.toString());
    command.add(connector.toString());
    LOG.info("launching Kafka Connect with the Debezium JDBC sink, log in {}", log);
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new Running(process, launched, log, postgres.jdbcUrl(database));
  }

  private static void store(Map<String, String> settings, Path file) throws IOException {
    Properties properties = new Properties();
    properties.putAll(settings);
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, null);
    }
  }

  /** The ids of the last record of every partition: once all are in the table, every row is. */
  static List<UUID> lastOfEachPartition(List<TweetEvent> events, int[] partitions) {
    Map<Integer, UUID> last = new TreeMap<>();
    for (int i = 0; i < events.size(); i++) {
      last.put(partitions[i], events.get(i).id());
    }
    return List.copyOf(last.values());
  }

  /** A launched worker. */
  public final class Running implements AutoCloseable {

    private final Process process;
    private final long launched;
    private final Path log;
    private final String jdbcUrl;

    private Running(Process process, long launched, Path log, String jdbcUrl) {
      this.process = process;
      this.launched = launched;
      this.log = log;
      this.jdbcUrl = jdbcUrl;
    }

    /**
     * Returns the worker's process id.
     *
     * @return its pid
     */
    public long pid() {
      return process.pid();
    }

    /**
     * Waits until the last record of every partition is in the table. Within a partition the sink
     * writes in order and flushes each batch in one transaction, so then every record is; the
     * caller counts the rows to be sure. Polls every 20 ms; the worker exits when its connector or
     * a task fails ({@link ConnectWorker}), which ends the wait at once.
     *
     * @param events the rows in the topic
     * @param partitions each event's partition
     * @return the times and the worker's CPU, read before the worker stops
     * @throws IllegalStateException if the worker exits, the connector or a task fails, or the rows
     *     are not all there within the timeout
     * @throws SQLException if the table cannot be read
     * @throws InterruptedException if interrupted
     */
    public SinkTimes awaitRows(List<TweetEvent> events, int[] partitions)
        throws SQLException, InterruptedException {
      List<UUID> last = lastOfEachPartition(events, partitions);
      long deadline = launched + timeout.toNanos();
      long firstRow = -1;
      try (Connection c = DriverManager.getConnection(jdbcUrl);
          PreparedStatement any =
              c.prepareStatement("SELECT EXISTS (SELECT FROM " + ShardSchema.TWEETS.name() + ")");
          PreparedStatement lastRows =
              c.prepareStatement(
                  "SELECT count(*) FROM " + ShardSchema.TWEETS.name() + " WHERE id = ANY (?)")) {
        Array ids = c.createArrayOf("uuid", last.toArray());
        lastRows.setArray(1, ids);
        while (true) {
          long now = System.nanoTime();
          if (firstRow < 0 && exists(any)) {
            firstRow = now;
          }
          if (firstRow >= 0 && count(lastRows) == last.size()) {
            Duration cpu = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
            return new SinkTimes(
                Duration.ofNanos(now - launched), Duration.ofNanos(now - firstRow), cpu);
          }
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "Kafka Connect exited with status " + process.exitValue() + "; see " + log);
          }
          if (now > deadline) {
            throw new IllegalStateException(
                "the Debezium JDBC sink had not written every row within "
                    + timeout
                    + "; see "
                    + log);
          }
          Thread.sleep(POLL.toMillis());
        }
      }
    }

    /** Stops the worker: SIGTERM, so that it closes its tasks; SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Kafka Connect [{}] did not stop within {}; killing it", pid(), STOP_TIMEOUT);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static boolean exists(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static long count(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
