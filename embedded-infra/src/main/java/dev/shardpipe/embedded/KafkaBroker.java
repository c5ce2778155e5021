package dev.shardpipe.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one process),
 * run in this JVM from the Apache Kafka jars and listening on 127.0.0.1 only.
 *
 * <p>The log directory is formatted on first start and reused afterwards, so topics and records
 * survive a restart on the same directory.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaRaftServer server;
  private final int port;
  private final int controllerPort;
  private final Path logDir;
  private boolean closed;

  private KafkaBroker(KafkaRaftServer server, int port, int controllerPort, Path logDir) {
    this.server = server;
    this.port = port;
    this.controllerPort = controllerPort;
    this.logDir = logDir;
  }

  /**
   * Formats the log directory if it is new, then starts the broker and waits until it answers.
   *
   * @param logDir the broker's log directory; created when missing, reused when formatted
   * @param port the client (PLAINTEXT) port, or 0 for a free one
   * @param controllerPort the KRaft controller port, or 0 for a free one
   * @return the running broker
   * @throws IOException if the directory cannot be prepared, formatting fails, or a port is taken
   * @throws IllegalStateException if the broker does not answer within 30 s
   */
  public static KafkaBroker start(Path logDir, int port, int controllerPort) throws IOException {
    int clientPort = port == 0 ? FreePort.find() : port;
    int quorumPort = controllerPort == 0 ? FreePort.find() : controllerPort;
    FreePort.requireFree(clientPort, "Kafka");
    FreePort.requireFree(quorumPort, "Kafka controller");
    Files.createDirectories(logDir);
    Map<String, String> config = config(logDir, clientPort, quorumPort);
    format(logDir, config);
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    server.startup();
    KafkaBroker broker = new KafkaBroker(server, clientPort, quorumPort, logDir);
    try {
      broker.awaitReady();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    LOG.info("Kafka broker [{}] ready, log dir {}", broker.bootstrapServers(), logDir);
    return broker;
  }

  private static Map<String, String> config(Path logDir, int port, int controllerPort) {
    return Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort),
        Map.entry(
            "listeners",
            "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
        // One node: internal topics cannot have the default replication factor of 3, and consumer
        // groups never form without the offsets topic.
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "4"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // A topic auto-created with the broker's default partition count would break routing.
        Map.entry("auto.create.topics.enable", "false"),
        // The default 128 MiB dedupe buffer fails under small heaps; no topic here is compacted.
        Map.entry("log.cleaner.dedupe.buffer.size", "4194304"));
  }

  private static void format(Path logDir, Map<String, String> config) throws IOException {
    // A formatted directory keeps its cluster id; formatting again, even with --ignore-formatted,
    // fails on the id mismatch.
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path properties = logDir.resolve("server.properties");
    Properties props = new Properties();
    props.putAll(config);
    try (Writer out = Files.newBufferedWriter(properties)) {
      props.store(out, "written by shardpipe embedded-infra when it formatted this directory");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exit =
          StorageTool.execute(
              new String[] {
                "format",
                "--standalone",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                properties.toString()
              },
              print);
    }
    if (exit != 0) {
      throw new IOException(
          "formatting Kafka log dir "
              + logDir
              + " failed: "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka broker on port " + port + " did not become ready", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /**
   * Returns the address clients connect to.
   *
   * @return {@code 127.0.0.1:<port>}
   */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /**
   * Returns the KRaft controller port.
   *
   * @return the port given at start, or the free one chosen then
   */
  public int controllerPort() {
    return controllerPort;
  }

  /**
   * Stops the broker and starts it again on the same log directory and ports, so that topics,
   * records and offsets are kept; clients see the broker disappear and come back.
   *
   * @return the running broker; this instance is closed
   * @throws IOException if the broker cannot start again (for example because another process took
   *     a port meanwhile)
   */
  public KafkaBroker restart() throws IOException {
    close();
    return start(logDir, port, controllerPort);
  }

  /**
   * Returns the broker's log directory.
   *
   * @return the directory given at start
   */
  public Path logDir() {
    return logDir;
  }

  /**
   * Opens an admin client on this broker; the caller closes it.
   *
   * @return a new admin client
   */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /**
   * Creates a topic with replication factor 1, or checks the partition count of an existing one.
   *
   * @param name the topic
   * @param partitions its partition count
   * @return true if the topic was created, false if it already existed with that count
   * @throws IllegalStateException if it exists with another partition count, or Kafka fails
   */
  public boolean ensureTopic(String name, int partitions) {
    return ensureTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with replication factor 1 and the given topic settings, or checks the partition
   * count of an existing one and sets the given settings on it.
   *
   * @param name the topic
   * @param partitions its partition count
   * @param configs topic settings, such as {@code retention.ms}; empty for the broker's defaults
   * @return true if the topic was created, false if it already existed with that count
   * @throws IllegalStateException if it exists with another partition count, or Kafka fails
   */
  public boolean ensureTopic(String name, int partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      return Topics.ensure(admin, name, partitions, configs, ADMIN_TIMEOUT);
    }
  }

  /** Stops the broker and waits until it has shut down; the log directory is kept. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Kafka broker [{}] stopped", bootstrapServers());
  }
}
