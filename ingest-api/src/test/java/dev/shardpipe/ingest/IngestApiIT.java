package dev.shardpipe.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  static void start(Infrastructure shared) throws InterruptedException {
    infra = shared;
    topic = Infrastructure.uniqueName("ingest");
    infra.kafka().ensureTopic(topic, 16);
    server = IngestServers.start(IngestServers.properties(infra, topic));
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
        send(
            HttpRequest.newBuilder(uri("/files"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("user_id=1")));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void acceptsABatchAsAJsonArrayAfterKafkaStoredEveryItemInOrder() throws Exception {
    UUID clientId = UUID.randomUUID();
    HttpResponse<String> response =
        post(
            "/tweets/batch",
            "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"one\"},"
                + "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"two\",\"id\":\""
                + clientId
                + "\"},"
                + "{\"location\":\"asia\",\"owner_id\":3,\"text\":\"three\",\"like_count\":9}]");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    assertThat(body.get("accepted").getIntValue()).isEqualTo(3);
    JsonNode results = body.get("results");
    assertThat(results.size()).isEqualTo(3);
    assertThat(results.get(1).get("id").getStringValue()).isEqualTo(clientId.toString());
    List<String> texts = new ArrayList<>();
    for (JsonNode result : results.values()) {
      TweetEvent stored =
          (TweetEvent)
              read(result.get("partition").getIntValue(), result.get("offset").getLongValue());
      assertThat(stored.id().toString()).isEqualTo(result.get("id").getStringValue());
      texts.add(stored.data().text());
    }
    assertThat(texts).containsExactly("one", "two", "three");
    assertThat(results.get(0).get("shard").getStringValue()).isEqualTo("eu");
    assertThat(results.get(1).get("shard").getStringValue()).isEqualTo("us");
  }

  @Test
  void acceptsABatchAsNdjsonIgnoringBlankLines() throws Exception {
    HttpResponse<String> response =
        post(
            "/files/batch",
            "application/x-ndjson",
            "{\"user_id\":5,\"file_name\":\"a.txt\"}\n\n"
                + "{\"user_id\":6,\"file_name\":\"b.txt\",\"size_bytes\":3}\r\n");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode results = JSON.readValue(response.body(), JsonNode.class).get("results");
    assertThat(results.size()).isEqualTo(2);
    FileEvent second =
        (FileEvent)
            read(
                results.get(1).get("partition").getIntValue(),
                results.get(1).get("offset").getLongValue());
    assertThat(second.data().fileName()).isEqualTo("b.txt");
    assertThat(second.data().userId()).isEqualTo(6);
  }

  @Test
  void acceptsTenThousandItemsInOneBatchWithTheDefaultLimits() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      ndjson
          .append("{\"location\":\"europe\",\"owner_id\":")
          .append(i)
          .append(",\"text\":\"tweet number ")
          .append(i)
          .append(" of a full batch\"}\n");
    }
    long before = totalEndOffset();
    HttpResponse<String> response =
        post("/tweets/batch", "application/x-ndjson", ndjson.toString());
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readValue(response.body(), JsonNode.class).get("accepted").getIntValue())
        .isEqualTo(10_000);
    assertThat(totalEndOffset()).isEqualTo(before + 10_000);
  }

  @Test
  void rejectsABatchWithInvalidItemsNamingEachByIndexAndPublishesNothing() throws Exception {
    long before = totalEndOffset();
    HttpResponse<String> array =
        post(
            "/tweets/batch",
            "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"fine\"},"
                + "{\"location\":\"europe\",\"owner_id\":-4,\"text\":\"\"},"
                + "\"not an object\"]");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(array.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(array.body())
        .contains("\"detail\":\"2 of 3 tweets are invalid; nothing was published\"")
        .contains("{\"field\":\"[1].owner_id\",\"message\":\"must be >= 0, was -4\"}")
        .contains("{\"field\":\"[1].text\",\"message\":\"must not be empty\"}")
        .contains("{\"field\":\"[2]\",\"message\":\"must be a JSON object\"}")
        .doesNotContain("[0]");
    HttpResponse<String> ndjson =
        post(
            "/files/batch",
            "application/x-ndjson",
            "{\"user_id\":1,\"file_name\":\"ok\"}\n{\"user_id\":\n{\"file_name\":\"x\"}\n");
    assertThat(ndjson.statusCode()).isEqualTo(400);
    assertThat(ndjson.body())
        .contains("{\"field\":\"[1]\",\"message\":\"is not valid JSON\"}")
        .contains("{\"field\":\"[2].user_id\",\"message\":\"is required\"}");
    assertThat(totalEndOffset()).isEqualTo(before);
  }

  @Test
  void rejectsABatchThatIsEmptyTooLongOrNotAnArray() throws Exception {
    assertProblem(post("/tweets/batch", "[]"), 400, "must hold 1 to 10000 items, was 0");
    assertProblem(post("/tweets/batch", "{\"location\":\"europe\"}"), 400, "must be a JSON array");
    assertProblem(post("/tweets/batch", "[{\"location\":"), 400, "the body is not valid JSON");
    String tooMany = "{\"user_id\":1,\"file_name\":\"f\"}\n".repeat(10_001);
    assertProblem(
        post("/files/batch", "application/x-ndjson", tooMany),
        400,
        "must hold 1 to 10000 items, was 10001");
  }

  @Test
  void answersABodyOverItsLimitWith413() throws Exception {
    String bigTweet =
        "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"hi\",\"pad\":\""
            + "x".repeat(70_000)
            + "\"}";
    HttpResponse<String> single = post("/tweets", bigTweet);
    assertProblem(single, 413, "\"max_bytes\":65536");
    assertThat(single.body()).contains("the body of one tweet is at most 65536 bytes");
    // The batch limit is micronaut.server.max-request-size, 16 MiB by default.
    String bigBatch = "[" + "{\"user_id\":1,\"file_name\":\"f\"},".repeat(600_000) + "{}]";
    HttpResponse<String> batch = post("/files/batch", bigBatch);
    assertProblem(batch, 413, "\"max_bytes\":16777216");
  }

  @Test
  void acceptsTenThousandTweetsOfTenAndAHalfMegabytesAsOneJsonArray() throws Exception {
    // Over Micronaut's default buffer limit of 10 MiB, which refused such batches before.
    String text = "\\u00e9".repeat(167);
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < 10_000; i++) {
      array
          .append(i == 0 ? "" : ",")
          .append("{\"location\":\"europe\",\"owner_id\":")
          .append(i)
          .append(",\"text\":\"")
          .append(text)
          .append("\"}");
    }
    String body = array.append(']').toString();
    assertThat(body.length()).isBetween(10_400_000, 10_600_000);
    long before = totalEndOffset();
    HttpResponse<String> response = post("/tweets/batch", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(JSON.readValue(response.body(), JsonNode.class).get("accepted").getIntValue())
        .isEqualTo(10_000);
    assertThat(totalEndOffset()).isEqualTo(before + 10_000);
  }

  @Test
  void refusesAnArrayOfMillionsOfItemsAfterTheFirstItemTooMany() throws Exception {
    String zeros = "[" + "0,".repeat(7_999_999) + "0]";
    assertThat(zeros.length()).isLessThan(16 * 1024 * 1024);
    long before = totalEndOffset();
    assertProblem(
        post("/tweets/batch", zeros), 400, "must hold 1 to 10000 items, was more than 10000");
    assertThat(totalEndOffset()).isEqualTo(before);
  }

  @Test
  void refusesAnOccurredAtFarAheadOfTheClockNamingTheField() throws Exception {
    long before = totalEndOffset();
    assertProblem(
        post(
            "/tweets",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"later\","
                + "\"occurred_at\":\"9999-12-31T23:59:59Z\"}"),
        400,
        "{\"field\":\"occurred_at\",\"message\":\"must be at most 5m ahead of the server's clock");
    assertProblem(
        post(
            "/files/batch",
            "[{\"user_id\":1,\"file_name\":\"a\"},{\"user_id\":1,\"file_name\":\"b\","
                + "\"occurred_at\":\""
                + Instant.now().plus(Duration.ofHours(1))
                + "\"}]"),
        400,
        "{\"field\":\"[1].occurred_at\"");
    assertProblem(
        send(
            HttpRequest.newBuilder(
                    uri(
                        "/files/"
                            + UUID.randomUUID()
                            + "?user_id=1&occurred_at=9999-01-01T00:00:00Z"))
                .DELETE()),
        400,
        "{\"field\":\"occurred_at\"");
    HttpResponse<String> slightlyAhead =
        post(
            "/tweets",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"fast clock\","
                + "\"occurred_at\":\""
                + Instant.now().plus(Duration.ofMinutes(1))
                + "\"}");
    assertThat(slightlyAhead.statusCode()).isEqualTo(202);
    assertThat(totalEndOffset()).isEqualTo(before + 1);
  }

  @Test
  void refusesADeleteWhoseLocationHoldsANulOrALoneSurrogate() throws Exception {
    long before = totalEndOffset();
    for (String location : List.of("eu%00rope", "%ED%A0%80")) {
      assertProblem(
          send(
              HttpRequest.newBuilder(
                      uri("/tweets/" + UUID.randomUUID() + "?owner_id=1&location=" + location))
                  .DELETE()),
          400,
          "{\"field\":\"location\",\"message\":\"must");
    }
    assertThat(totalEndOffset()).isEqualTo(before);
  }

  @Test
  void answersBulkWith404WhenItIsSwitchedOff() throws Exception {
    Map<String, Object> properties = IngestServers.properties(infra, topic);
    properties.put("shardpipe.ingest.bulk-enabled", false);
    try (EmbeddedServer noBulk = ApplicationContext.run(EmbeddedServer.class, properties)) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + noBulk.getPort() + "/ingest/bulk?count=5"))
                  .POST(BodyPublishers.noBody()));
      assertProblem(response, 404, "synthetic events are switched off on this server");
    }
  }

  @Test
  void answersWrongMediaTypeMethodAndPathAsProblems() throws Exception {
    assertProblem(post("/tweets/batch", "text/csv", "a,b"), 415, "text/csv is not supported");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/tweets")).GET()), 405, "GET is not allowed on /tweets");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/tweetz/a/b")).GET()), 404, "no resource at /tweetz/a/b");
    // POST /{collection} serves every one-segment path, so another method there is a 405.
    assertProblem(
        send(HttpRequest.newBuilder(uri("/tweetz")).GET()), 405, "GET is not allowed on /tweetz");
  }

  @Test
  void publishesATweetDeleteRoutedByItsShardKey() throws Exception {
    UUID id = UUID.randomUUID();
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    uri(
                        "/tweets/"
                            + id
                            + "?location=usa&owner_id=7&occurred_at=2026-02-03T04:05:06Z"))
                .DELETE());
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    assertThat(body.get("partition").getIntValue())
        .isEqualTo(Routing.defaults().partitionForTweet("usa", 7));
    Event stored = read(body.get("partition").getIntValue(), body.get("offset").getLongValue());
    assertThat(stored)
        .isEqualTo(TweetEvent.delete(id, Instant.parse("2026-02-03T04:05:06Z"), "usa", 7));
  }

  @Test
  void publishesAFileDelete() throws Exception {
    UUID id = UUID.randomUUID();
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri("/files/" + id + "?user_id=99")).DELETE());
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readValue(response.body(), JsonNode.class);
    Event stored = read(body.get("partition").getIntValue(), body.get("offset").getLongValue());
    assertThat(stored.op()).isEqualTo(Op.DELETE);
    assertThat(stored.id()).isEqualTo(id);
    assertThat(stored.shardKey()).isEqualTo("99");
  }

  @Test
  void rejectsADeleteWithoutItsShardKeyOrWithABadId() throws Exception {
    long before = totalEndOffset();
    assertProblem(
        send(HttpRequest.newBuilder(uri("/tweets/" + UUID.randomUUID())).DELETE()),
        400,
        "{\"field\":\"location\",\"message\":\"is required\"}",
        "{\"field\":\"owner_id\",\"message\":\"is required\"}");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/files/" + UUID.randomUUID() + "?user_id=-1")).DELETE()),
        400,
        "{\"field\":\"user_id\",\"message\":\"must be >= 0, was -1\"}");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/files/not-a-uuid?user_id=1")).DELETE()),
        400,
        "{\"field\":\"id\",\"message\":\"must be a UUID\"}");
    assertThat(totalEndOffset()).isEqualTo(before);
  }

  @Test
  void publishesSyntheticEventsInBulk() throws Exception {
    long before = totalEndOffset();
    HttpResponse<String> files = post("/ingest/bulk?count=250&type=file", "");
    assertThat(files.statusCode()).isEqualTo(202);
    assertThat(files.body()).isEqualTo("{\"accepted\":250}");
    HttpResponse<String> tweets = post("/ingest/bulk?count=100", "");
    assertThat(tweets.statusCode()).isEqualTo(202);
    assertThat(totalEndOffset()).isEqualTo(before + 350);
    assertProblem(
        post("/ingest/bulk?count=10001&type=file", ""),
        400,
        "{\"field\":\"count\",\"message\":\"must be 1 to 10000, was 10001\"}");
    assertProblem(
        post("/ingest/bulk?count=1&type=photo", ""),
        400,
        "{\"field\":\"type\",\"message\":\"must be \\\"tweet\\\" or \\\"file\\\"\"}");
  }

  @Test
  void servesTheOpenApiDocumentAndSwaggerUiFromItsOwnAssets() throws Exception {
    HttpResponse<String> document =
        send(HttpRequest.newBuilder(uri("/swagger/ingest-api.yml")).GET());
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body())
        .contains("openapi: 3.")
        .contains("/tweets/batch:")
        .contains("/files/{id}:")
        .contains("/ingest/bulk:")
        .contains("application/x-ndjson");
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/swagger-ui/index.html")).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("/swagger-ui/res/swagger-ui-bundle.js")
        .contains("/swagger/ingest-api.yml")
        .doesNotContain("unpkg", "cdn");
    HttpResponse<String> script =
        send(HttpRequest.newBuilder(uri("/swagger-ui/res/swagger-ui-bundle.js")).GET());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body().length()).isGreaterThan(100_000);
  }

  @Test
  void reportsKafkaInHealthAndCountsEventsInPrometheusMetrics() throws Exception {
    HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/health")).GET());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("kafka");

    post("/files", "{\"user_id\":1,\"file_name\":\"counted.txt\"}");
    post("/files", "{\"user_id\":-1}");
    HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/prometheus")).GET());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(
            counter(
                metrics.body(),
                "shardpipe_ingest_events_accepted_total",
                "type=\"file\"",
                "op=\"upsert\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            counter(
                metrics.body(),
                "shardpipe_ingest_events_rejected_total",
                "type=\"file\"",
                "reason=\"invalid\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics.body())
        .contains("shardpipe_ingest_produce_latency_seconds_bucket{")
        .contains("http_server_requests_seconds_count{");
  }

  @Test
  void refusesToStartWhenTheTopicHasAnotherPartitionCount() {
    String small = Infrastructure.uniqueName("ingest_small");
    infra.kafka().ensureTopic(small, 4);
    assertThatThrownBy(
            () ->
                ApplicationContext.run(
                    EmbeddedServer.class, IngestServers.properties(infra, small)))
        .rootCause()
        .hasMessage(
            "topic "
                + small
                + " has 4 partitions but shardpipe.partitions is 16; routing would place events"
                + " on the wrong shards");
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return post(path, "application/json", json);
  }

  private static HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    return CLIENT.send(
        TestTokens.authorized(built, roleFor(built.uri().getPath())), BodyHandlers.ofString());
  }

  /** The role a user would send for a path: admin for the admin-only ones, else ingest. */
  static String roleFor(String path) {
    return path.startsWith("/ingest/bulk")
            || path.startsWith("/prometheus")
            || path.startsWith("/swagger")
            || path.startsWith("/health")
        ? Roles.ADMIN
        : Roles.INGEST;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String... parts) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).contains(parts);
  }

  /** The value of one Prometheus sample whose labels include all of {@code labels}. */
  private static double counter(String exposition, String name, String... labels) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
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
