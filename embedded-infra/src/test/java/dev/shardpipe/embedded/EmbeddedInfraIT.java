package dev.shardpipe.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfraIT {

  @TempDir Path dir;

  @Test
  void brokerKeepsTopicsAndRecordsAcrossARestartOnTheSameLogDir() throws Exception {
    Path logDir = dir.resolve("kafka");
    int port = FreePort.find();
    int controllerPort = FreePort.find();
    try (KafkaBroker broker = KafkaBroker.start(logDir, port, controllerPort)) {
      assertThat(broker.ensureTopic("t", 3)).isTrue();
      assertThat(broker.ensureTopic("t", 3)).isFalse();
      assertThatIllegalStateException()
          .isThrownBy(() -> broker.ensureTopic("t", 4))
          .withMessage(
              "topic t exists with 3 partitions, expected 4; start clean or change the partition"
                  + " count");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", 2, "k", "hello")).get();
      }
    }
    try (KafkaBroker broker = KafkaBroker.start(logDir, port, controllerPort)) {
      assertThat(readAll(broker, new TopicPartition("t", 2))).containsExactly("hello");
    }
  }

  @Test
  void topicSettingsApplyWhenCreatedAndToATopicThatExists() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0, 0)) {
      assertThat(broker.ensureTopic("dlq", 1, Map.of("retention.ms", "1000"))).isTrue();
      assertThat(retentionMs(broker, "dlq")).isEqualTo("1000");
      assertThat(broker.ensureTopic("dlq", 1, Map.of("retention.ms", "2419200000"))).isFalse();
      assertThat(retentionMs(broker, "dlq")).isEqualTo("2419200000");
      broker.ensureTopic("events", 2);
      assertThat(retentionMs(broker, "events")).isEqualTo("604800000");
    }
  }

  @Test
  void postgresKeepsDatabasesAcrossARestartOnTheSameDataDir() throws Exception {
    Path dataDir = dir.resolve("pg");
    int port;
    try (PostgresServer pg = PostgresServer.start(dataDir, 0, Map.of())) {
      port = pg.port();
      assertThat(pg.createDatabase("shard_eu")).isTrue();
      assertThat(pg.createDatabase("shard_eu")).isFalse();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("shard_eu"));
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('still here')");
      }
    }
    try (PostgresServer pg = PostgresServer.start(dataDir, port, Map.of());
        Connection c = DriverManager.getConnection(pg.jdbcUrl("shard_eu"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v, current_setting('listen_addresses') FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
      assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
    }
  }

  private static String retentionMs(KafkaBroker broker, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = broker.admin()) {
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(resource)
          .get("retention.ms")
          .value();
    }
  }

  private static List<String> readAll(KafkaBroker broker, TopicPartition partition) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(partition));
      List<String> values = new ArrayList<>();
      for (int poll = 0; poll < 20 && values.isEmpty(); poll++) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
      return values;
    }
  }
}
