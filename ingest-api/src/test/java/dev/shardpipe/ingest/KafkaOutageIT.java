package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stops the broker under a running ingest-api: requests answer {@code 503} with {@code Retry-After}
 * and the ids to retry with, health goes DOWN, and once the broker is back on the same ports and
 * log directory, retries with those ids are accepted and the topic holds every event exactly once.
 * While the broker stalls, requests beyond the in-flight limit are refused at once.
 */
@ExtendWith(InfrastructureExtension.class)
class KafkaOutageIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final EventCodec CODEC = new EventCodec(JSON);
  private static final String TOPIC = "ingest.outage";

  private Path dir;
  private int port;
  private int controllerPort;
  private KafkaBroker broker;
  private EmbeddedServer server;

  @BeforeEach
  void start(Infrastructure infra) throws Exception {
    dir = Files.createTempDirectory("shardpipe-outage-");
    port = FreePort.find();
    controllerPort = FreePort.find();
    broker = KafkaBroker.start(dir, port, controllerPort);
    broker.ensureTopic(TOPIC, 16);
    Map<String, Object> properties = new HashMap<>();
    properties.put("datasources.catalog.url", IngestServers.catalogUrl(infra));
    properties.putAll(
        Map.of(
            "kafka.bootstrap.servers", broker.bootstrapServers(),
            "shardpipe.topic", TOPIC,
            "micronaut.server.port", -1,
            // Short producer timeouts keep the outage short; the defaults are 5 s and 10 s.
            "kafka.producers.ingest-api.request.timeout.ms", 1000,
            "kafka.producers.ingest-api.delivery.timeout.ms", 3000,
            "kafka.producers.ingest-api.max.block.ms", 2000,
            "shardpipe.ingest.retry-after", "2s",
            // Two events in flight at most, so that one stalled batch fills the publisher.
            "shardpipe.ingest.max-in-flight-events", 2,
            "shardpipe.ingest.max-batch-items", 2,
            "shardpipe.ingest.max-bulk-count", 2));
    properties.putAll(TestTokens.serverProperties());
    server = ApplicationContext.run(EmbeddedServer.class, properties);
    IngestServers.awaitCatalog(server);
  }

  @AfterEach
  void stop() throws Exception {
    // Clients first: a producer whose broker is gone would hold shutdown for its timeouts.
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void answers503WhileKafkaIsDownAndStoresEveryRetriedEventOnceAfterItReturns() throws Exception {
    List<String> expected = new ArrayList<>();
    HttpResponse<String> before =
        post("/tweets", "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"before\"}");
    assertThat(before.statusCode()).isEqualTo(202);
    expected.add(field(before, "id"));

    broker.close();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get("/health").statusCode()).isEqualTo(503));

    String clientId = UUID.randomUUID().toString();
    String withId =
        "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"client id\",\"id\":\"" + clientId + "\"}";
    HttpResponse<String> single = post("/tweets", withId);
    assertUnavailable(single);
    assertThat(field(single, "id")).isEqualTo(clientId);

    HttpResponse<String> generated =
        post("/files", "{\"user_id\":3,\"file_name\":\"generated.txt\"}");
    assertUnavailable(generated);
    String generatedId = field(generated, "id");

    String batch =
        "[{\"location\":\"europe\",\"owner_id\":4,\"text\":\"a\"},"
            + "{\"location\":\"usa\",\"owner_id\":5,\"text\":\"b\"}]";
    HttpResponse<String> batchAnswer = post("/tweets/batch", batch);
    assertUnavailable(batchAnswer);
    List<String> batchIds = new ArrayList<>();
    for (JsonNode id : body(batchAnswer).get("ids").values()) {
      batchIds.add(id.getStringValue());
    }
    assertThat(batchIds).hasSize(2).doesNotHaveDuplicates();

    broker = KafkaBroker.start(dir, port, controllerPort);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(get("/health").statusCode()).isEqualTo(200));

    // The client retries each refused request with the ids the 503 named.
    assertThat(post("/tweets", withId).statusCode()).isEqualTo(202);
    expected.add(clientId);
    HttpResponse<String> generatedRetry =
        post(
            "/files",
            "{\"user_id\":3,\"file_name\":\"generated.txt\",\"id\":\"" + generatedId + "\"}");
    assertThat(generatedRetry.statusCode()).isEqualTo(202);
    expected.add(generatedId);
    HttpResponse<String> batchRetry =
        post(
            "/tweets/batch",
            "[{\"location\":\"europe\",\"owner_id\":4,\"text\":\"a\",\"id\":\""
                + batchIds.get(0)
                + "\"},{\"location\":\"usa\",\"owner_id\":5,\"text\":\"b\",\"id\":\""
                + batchIds.get(1)
                + "\"}]");
    assertThat(batchRetry.statusCode()).isEqualTo(202);
    expected.addAll(batchIds);

    Map<String, Long> published = idsOnTopic(expected.size());
    assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(published.values()).as("times each id was published").containsOnly(1L);
  }

  @Test
  void refusesAtOnceWhatWouldExceedTheInFlightLimitWhileKafkaStalls() throws Exception {
    broker.close();
    CompletableFuture<HttpResponse<String>> stalled =
        CLIENT.sendAsync(
            request(
                "/tweets/batch",
                "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"},"
                    + "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"b\"}]"),
            BodyHandlers.ofString());
    // While the batch holds both places, another event is refused at once, not queued.
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              HttpResponse<String> refused =
                  post("/files", "{\"user_id\":3,\"file_name\":\"refused.txt\"}");
              assertThat(refused.statusCode()).isEqualTo(503);
              assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
              assertThat(refused.body())
                  .contains("\"type\":\"urn:shardpipe:problem:ingest-overloaded\"")
                  .contains("nothing of this request was sent");
            });
    assertUnavailable(stalled.get(30, TimeUnit.SECONDS));
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(response.body()).contains("\"type\":\"urn:shardpipe:problem:kafka-unavailable\"");
  }

  /** Reads the whole topic and counts each event id, waiting until at least {@code min} arrived. */
  private Map<String, Long> idsOnTopic(int min) {
    List<Event> events = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (int poll = 0; poll < 60 && !reached(consumer, end); poll++) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          events.add(decode(record.value()));
        }
      }
    }
    assertThat(events).hasSizeGreaterThanOrEqualTo(min);
    return events.stream()
        .collect(Collectors.groupingBy(e -> e.id().toString(), Collectors.counting()));
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static Event decode(byte[] value) {
    try {
      return CODEC.decode(value);
    } catch (Exception e) {
      throw new AssertionError("the topic holds a record that is not an event", e);
    }
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return CLIENT.send(request(path, json), BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String json) {
    return HttpRequest.newBuilder(uri(path))
        .header(TestTokens.HEADER, TestTokens.authorization(Roles.INGEST))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(json))
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header(TestTokens.HEADER, TestTokens.authorization(Roles.ADMIN))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static JsonNode body(HttpResponse<String> response) throws Exception {
    return JSON.readValue(response.body(), JsonNode.class);
  }

  private static String field(HttpResponse<String> response, String name) throws Exception {
    return body(response).get(name).getStringValue();
  }
}
