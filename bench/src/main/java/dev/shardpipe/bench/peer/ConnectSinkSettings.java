package dev.shardpipe.bench.peer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the peer runs: Kafka Connect standalone's worker settings and the Debezium JDBC sink's, in
 * upsert mode and tuned as the best of a sweep on this kind of machine (docs/benchmarks.md, "Writer
 * drain"): two tasks for two cores, batches of 1 000 rows, each poll handing the task a whole
 * batch, the plugin found through its service files rather than by scanning every jar.
 *
 * @param tasks the connector's {@code tasks.max}
 * @param batchSize the sink's {@code batch.size}, rows per flush, and the consumer's {@code
 *     max.poll.records}
 * @param jvmOptions the worker JVM's options
 */
public record ConnectSinkSettings(int tasks, int batchSize, List<String> jvmOptions) {

  /** Default sink tasks, one per core of the two-core machine: {@value}. */
  public static final int DEFAULT_TASKS = 2;

  /** Default rows per flush: {@value}; 500 and 2 000 were slower, and 5 000 slower still. */
  public static final int DEFAULT_BATCH_SIZE = 1_000;

  /** Default worker JVM options: {@code connect-standalone.sh}'s heap, Kafka's G1 settings. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-Xms256m",
          "-Xmx2g",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35",
          "-XX:+ExplicitGCInvokesConcurrent",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true");

  /** The connector class of the Debezium JDBC sink. */
  static final String CONNECTOR_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector";

  /**
   * Checks the numbers and copies the options.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public ConnectSinkSettings {
    if (tasks < 1) {
      throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * Returns the tuned settings.
   *
   * @return {@value #DEFAULT_TASKS} tasks, batches of {@value #DEFAULT_BATCH_SIZE}, {@link
   *     #DEFAULT_JVM_OPTIONS}
   */
  public static ConnectSinkSettings defaults() {
    return new ConnectSinkSettings(DEFAULT_TASKS, DEFAULT_BATCH_SIZE, DEFAULT_JVM_OPTIONS);
  }

  /**
   * Returns the standalone worker's settings: string keys, JSON values with their schema, source
   * offsets in a file.
   *
   * @param bootstrap the broker, {@code host:port}
   * @param pluginPath the directory holding the unpacked plugin archive
   * @param offsetsFile where the standalone worker keeps source offsets (a sink uses none, but the
   *     worker requires the file)
   * @return the settings in a stable order, for {@code worker.properties}
   */
  Map<String, String> worker(String bootstrap, Path pluginPath, Path offsetsFile) {
    Map<String, String> worker = new LinkedHashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("value.converter.schemas.enable", "true");
    worker.put("offset.storage.file.filename", offsetsFile.toString());
    worker.put("offset.flush.interval.ms", "10000");
    worker.put("plugin.path", pluginPath.toString());
    // The archive lists its plugins in service files; the default (hybrid_warn) also scans every
    // jar by reflection, about 5 s of start-up.
    worker.put("plugin.discovery", "service_load");
    // One poll hands the task a whole batch: the sink flushes at batch.size or at the end of put().
    worker.put("consumer.max.poll.records", Integer.toString(batchSize));
    worker.put("consumer.fetch.max.bytes", Integer.toString(64 * 1024 * 1024));
    worker.put("consumer.max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024));
    worker.put("consumer.auto.offset.reset", "earliest");
    return worker;
  }

  /**
   * Returns the connector's settings: upserts keyed by fields of the value into an existing table,
   * which it neither creates nor alters, and no deletes.
   *
   * @param name the connector's name (and so its consumer group, {@code connect-<name>})
   * @param topic the topic to read
   * @param jdbcUrl the database, {@code jdbc:postgresql://host:port/database} without parameters
   * @param user the database user
   * @param table the table every record goes to
   * @param keyFields the fields of the value that form the table's primary key, in its order
   * @return the settings in a stable order, for the connector's properties file
   * @throws IllegalArgumentException if the URL has parameters or there are no key fields
   */
  Map<String, String> connector(
      String name,
      String topic,
      String jdbcUrl,
      String user,
      String table,
      List<String> keyFields) {
    if (jdbcUrl.contains("?")) {
      throw new IllegalArgumentException("the JDBC URL must have no parameters: " + jdbcUrl);
    }
    if (keyFields.isEmpty()) {
      throw new IllegalArgumentException("the table's key needs at least one field");
    }
    Map<String, String> connector = new LinkedHashMap<>();
    connector.put("name", name);
    connector.put("connector.class", CONNECTOR_CLASS);
    connector.put("tasks.max", Integer.toString(tasks));
    connector.put("topics", topic);
    connector.put("connection.url", jdbcUrl + "?reWriteBatchedInserts=true");
    connector.put("connection.username", user);
    connector.put("connection.password", "");
    connector.put("insert.mode", "upsert");
    connector.put("primary.key.mode", "record_value");
    connector.put("primary.key.fields", String.join(",", keyFields));
    connector.put("delete.enabled", "false");
    connector.put("schema.evolution", "none");
    connector.put("collection.name.format", table);
    connector.put("batch.size", Integer.toString(batchSize));
    connector.put("use.reduction.buffer", "false");
    return connector;
  }
}
