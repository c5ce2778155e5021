package dev.shardpipe.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class IngestApiIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final EventCodec CODEC = new EventCodec(JSON);

  private static Infrastructure infra;
  private static String topic;
  private static EmbeddedServer server;

  @BeforeAll
  static void start(Infrastructure shared) {
    infra = shared;
    topic = Infrastructure.uniqueName("ingest");
    infra.kafka().ensureTopic(topic, 16);
    server = ApplicationContext.run(EmbeddedServer.class, properties(topic));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void acceptsATweetAfterKafkaStoredItOnItsRoutedPartition() throws Exception {
    HttpResponse<String> response =
        post("/tweets", "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hello\"}");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    int partition = body.get("partition").getIntValue();
    assertThat(partition).isEqualTo(Routing.defaults().partitionForTweet("europe", 42));
    assertThat(body.get("shard").getStringValue()).isEqualTo("eu");
    UUID id = UUID.fromString(body.get("id").getStringValue());
    assertThat(id.version()).as("a generated id is a UUIDv7").isEqualTo(7);

    Event stored = read(partition, body.get("offset").getLongValue());
    assertThat(stored).isInstanceOf(TweetEvent.class);
    assertThat(stored.id()).isEqualTo(id);
    assertThat(((TweetEvent) stored).data().text()).isEqualTo("hello");
    assertThat(stored.shardKey()).isEqualTo("europe/42");
  }

  @Test
  void keepsTheClientsIdAndTime() throws Exception {
    UUID id = UUID.randomUUID();
    HttpResponse<String> response =
        post(
            "/tweets",
            "{\"location\":\"usa\",\"owner_id\":7,\"text\":\"hi\",\"like_count\":3,\"id\":\""
                + id
                + "\",\"occurred_at\":\"2026-01-02T03:04:05.678Z\"}");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    assertThat(body.get("id").getStringValue()).isEqualTo(id.toString());
    assertThat(body.get("shard").getStringValue()).isEqualTo("us");
    TweetEvent stored =
        (TweetEvent) read(body.get("partition").getIntValue(), body.get("offset").getLongValue());
    assertThat(stored)
        .isEqualTo(
            TweetEvent.upsert(id, Instant.parse("2026-01-02T03:04:05.678Z"), "usa", 7, "hi", 3));
  }

  @Test
  void acceptsAFileOnThePartitionKafkasDefaultPartitionerPicksForItsUser() throws Exception {
    HttpResponse<String> response =
        post(
            "/files",
            "{\"user_id\":123456789,\"file_name\":\"docs/report.pdf\",\"size_bytes\":18230,"
                + "\"content_type\":\"application/pdf\"}");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    assertThat(body.get("partition").getIntValue())
        .isEqualTo(BuiltInPartitioner.partitionForKey("123456789".getBytes(UTF_8), 16));
    FileEvent stored =
        (FileEvent) read(body.get("partition").getIntValue(), body.get("offset").getLongValue());
    assertThat(stored.data().fileName()).isEqualTo("docs/report.pdf");
    assertThat(stored.data().sizeBytes()).isEqualTo(18230L);
  }

  @Test
  void rejectsAnInvalidTweetNamingEachFieldAndPublishesNothing() throws Exception {
    long before = totalEndOffset();
    HttpResponse<String> response =
        post("/tweets", "{\"location\":\"\",\"owner_id\":-1,\"text\":\"" + "x".repeat(281) + "\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"detail\":\"the tweet is invalid\"")
        .contains("{\"field\":\"location\",\"message\":\"must not be empty\"}")
        .contains("{\"field\":\"owner_id\",\"message\":\"must be >= 0, was -1\"}")
        .contains("{\"field\":\"text\",\"message\":\"must be at most 280 characters, was 281\"}");
    assertThat(totalEndOffset()).isEqualTo(before);
  }

  @Test
  void rejectsMalformedJsonAndOtherMediaTypesAsProblems() throws Exception {
    HttpResponse<String> malformed = post("/files", "{\"user_id\": 1,");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"detail\":\"the body is not valid JSON\"");
    HttpResponse<String> text =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/files"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("user_id=1"))
                .build(),
            BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void refusesToStartWhenTheTopicHasAnotherPartitionCount() {
    String small = Infrastructure.uniqueName("ingest_small");
    infra.kafka().ensureTopic(small, 4);
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties(small)))
        .rootCause()
        .hasMessage(
            "topic "
                + small
                + " has 4 partitions but shardpipe.partitions is 16; routing would place events"
                + " on the wrong shards");
  }

  private static Map<String, Object> properties(String topicName) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
    properties.put("shardpipe.topic", topicName);
    properties.put("micronaut.server.port", -1);
    return properties;
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json))
            .build(),
        BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static Event read(int partition, long offset) throws Exception {
    TopicPartition tp = new TopicPartition(topic, partition);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      for (int poll = 0; poll < 20; poll++) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() == offset) {
            return CODEC.decode(r.value());
          }
        }
      }
    }
    throw new AssertionError("no record at " + tp + "@" + offset);
  }

  private static long totalEndOffset() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      return consumer
          .endOffsets(
              consumer.partitionsFor(topic).stream()
                  .map(p -> new TopicPartition(topic, p.partition()))
                  .toList())
          .values()
          .stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
