package dev.shardpipe.ingest.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.IngestServers;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import dev.shardpipe.ingest.publish.Published;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.uri.QueryStringDecoder;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.annotation.Secured;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.micronaut.web.router.UriRouteMatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routes by collection ({@link CollectionController}) against a real broker: what they publish
 * and answer equals what the typed routes of tweets and files publish and answer, a collection no
 * kind has is a {@code 404} behind the same roles, and every literal route of the service still
 * wins over them.
 *
 * <p>Over HTTP a literal route wins, so {@code POST /tweets} never reaches the generic route; the
 * comparisons call its bean with the collections {@code tweets} and {@code files}, which run the
 * same code a request for a kind without routes of its own runs.
 */
@ExtendWith(InfrastructureExtension.class)
class CollectionControllerIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final EventCodec CODEC = new EventCodec(JsonMapper.createDefault());
  private static final String AT = "2026-03-04T05:06:07.089Z";
  private static final String UNKNOWN =
      "no event collection is named \\\"photos\\\"; the collections are tweets, files";

  private static Infrastructure infra;
  private static String topic;
  private static EmbeddedServer server;
  private static CollectionController generic;
  private static JsonMapper json;

  @BeforeAll
  static void start(Infrastructure shared) throws InterruptedException {
    infra = shared;
    topic = Infrastructure.uniqueName("ingest_collections");
    infra.kafka().ensureTopic(topic, 16);
    server = IngestServers.start(IngestServers.properties(infra, topic));
    generic = server.getApplicationContext().getBean(CollectionController.class);
    json = server.getApplicationContext().getBean(JsonMapper.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void publishesTweetsAndFilesByteForByteAsTheTypedRoutes() throws Exception {
    String tweet = withIdAndTime("{\"location\":\"usa\",\"owner_id\":7,\"text\":\"hi\"}");
    sameRecords(
        post("/tweets", tweet),
        published(generic.postEvent("tweets", json("/tweets"), tweet.getBytes(UTF_8))),
        false);
    String file =
        withIdAndTime(
            "{\"user_id\":42,\"file_name\":\"a.pdf\",\"size_bytes\":3,"
                + "\"content_type\":\"application/pdf\"}");
    sameRecords(
        post("/files", file),
        published(generic.postEvent("files", json("/files"), file.getBytes(UTF_8))),
        false);
  }

  @Test
  void generatesIdsAndTimesAsTheTypedRoutes() throws Exception {
    String tweet = "{\"location\":\"europe\",\"owner_id\":3,\"text\":\"no id\",\"like_count\":2}";
    sameRecords(
        post("/tweets", tweet),
        published(generic.postEvent("tweets", json("/tweets"), tweet.getBytes(UTF_8))),
        true);
    String file = "{\"user_id\":9,\"file_name\":\"b.txt\"}";
    sameRecords(
        post("/files", file),
        published(generic.postEvent("files", json("/files"), file.getBytes(UTF_8))),
        true);
  }

  @Test
  void publishesBatchesAsTheTypedRoutes() throws Exception {
    String tweets =
        "["
            + withIdAndTime("{\"location\":\"europe\",\"owner_id\":1,\"text\":\"one\"}")
            + ","
            + withIdAndTime("{\"location\":\"usa\",\"owner_id\":2,\"text\":\"two\"}")
            + "]";
    sameBatch(
        send(post("/tweets/batch", MediaType.APPLICATION_JSON, tweets), Roles.INGEST),
        generic.postBatch(
            "tweets", request("/tweets/batch", MediaType.APPLICATION_JSON), bytes(tweets)));
    String files =
        withIdAndTime("{\"user_id\":5,\"file_name\":\"a.txt\"}")
            + "\n\n"
            + withIdAndTime("{\"user_id\":6,\"file_name\":\"b.txt\",\"size_bytes\":3}")
            + "\n";
    sameBatch(
        send(post("/files/batch", EventBodies.NDJSON, files), Roles.INGEST),
        generic.postBatch("files", request("/files/batch", EventBodies.NDJSON), bytes(files)));
  }

  @Test
  void publishesDeletesAsTheTypedRoutes() throws Exception {
    String tweet = "/tweets/" + UUID.randomUUID() + "?location=usa&owner_id=7&occurred_at=" + AT;
    sameRecords(delete(tweet), published(deleteGenerically(tweet)), false);
    String file = "/files/" + UUID.randomUUID() + "?user_id=42&occurred_at=" + AT;
    sameRecords(delete(file), published(deleteGenerically(file)), false);
  }

  @Test
  void refusesBadRequestsWithTheTypedRoutesProblemsAndMetrics() throws Exception {
    String big = "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"" + "x".repeat(70_000) + "\"}";
    for (String body :
        List.of(
            "{\"location\":\"europe\",",
            "[]",
            "{\"location\":\"\",\"owner_id\":-3,\"like_count\":1.5}",
            "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"x\",\"occurred_at\":\"9999-01-01T00:00:00Z\"}",
            big)) {
      sameProblem(
          EventKind.TWEET,
          () -> post("/tweets", body),
          () -> generic.postEvent("tweets", json("/tweets"), bytes(body)),
          "/tweets");
    }
    String file = "{\"user_id\":\"x\",\"file_name\":\"a\u0000b\"}";
    sameProblem(
        EventKind.FILE,
        () -> post("/files", file),
        () -> generic.postEvent("files", json("/files"), bytes(file)),
        "/files");
    for (String batch :
        List.of(
            "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"ok\"},{\"location\":\"\"},\"x\"]",
            "{}",
            "[]",
            "not json")) {
      sameProblem(
          EventKind.TWEET,
          () -> send(post("/tweets/batch", MediaType.APPLICATION_JSON, batch), Roles.INGEST),
          () ->
              generic.postBatch(
                  "tweets", request("/tweets/batch", MediaType.APPLICATION_JSON), bytes(batch)),
          "/tweets/batch");
    }
    String id = UUID.randomUUID().toString();
    for (String path :
        List.of(
            "/tweets/not-a-uuid?location=usa&owner_id=1",
            "/tweets/not-a-uuid?location=usa&owner_id=abc",
            "/tweets/" + id + "?location=usa&owner_id=abc",
            "/tweets/" + id + "?location=usa&owner_id=",
            "/tweets/" + id + "?location=usa&owner_id=1.0",
            "/tweets/" + id + "?location=usa&owner_id=99999999999999999999",
            "/tweets/" + id + "?location=usa&owner_id=-3",
            "/tweets/" + id + "?location=&owner_id=3",
            "/tweets/" + id + "?owner_id=3",
            "/tweets/" + id,
            "/tweets/" + id + "?location=usa&owner_id=3&occurred_at=yesterday",
            "/files/" + id + "?user_id=x",
            "/files/" + id)) {
      sameProblem(
          path.startsWith("/tweets") ? EventKind.TWEET : EventKind.FILE,
          () -> delete(path),
          () -> deleteGenerically(path),
          path.replaceAll("\\?.*", ""));
    }
  }

  @Test
  void answersAnUnknownCollectionWith404NamingTheCollections() throws Exception {
    for (HttpRequest.Builder request : unknownCollection()) {
      for (String role : List.of(Roles.INGEST, Roles.ADMIN)) {
        HttpResponse<String> response = send(request, role);
        assertProblem(response, 404, UNKNOWN);
      }
    }
    assertProblem(
        send(post("/photos", MediaType.APPLICATION_JSON, "{}"), Roles.INGEST),
        404,
        "\"instance\":\"/photos\"");
  }

  @Test
  void needsTheRolesOfTheTypedRoutes() throws Exception {
    String[] roles = CollectionController.class.getAnnotation(Secured.class).value();
    assertThat(roles)
        .containsExactly(EventController.class.getAnnotation(Secured.class).value())
        .containsExactly(BatchController.class.getAnnotation(Secured.class).value())
        .containsExactly(Roles.INGEST, Roles.ADMIN);
    for (HttpRequest.Builder request : unknownCollection()) {
      HttpResponse<String> anonymous = CLIENT.send(request.build(), BodyHandlers.ofString());
      assertProblem(anonymous, 401, "this request needs a bearer token");
      HttpResponse<String> read = send(request, Roles.READ);
      assertProblem(read, 403, "the token's role may not");
      HttpResponse<String> forged =
          CLIENT.send(
              request.copy().header(TestTokens.HEADER, "Bearer not-a-jwt").build(),
              BodyHandlers.ofString());
      assertProblem(forged, 401, "the bearer token is not valid");
    }
  }

  @Test
  void leavesEveryLiteralRouteToItsOwnController() {
    Router router = server.getApplicationContext().getBean(Router.class);
    List<String> literal = new ArrayList<>();
    for (UriRouteInfo<?, ?> route : router.uriRoutes().toList()) {
      if (route.getDeclaringType() == CollectionController.class) {
        continue;
      }
      Map<String, Object> values = new HashMap<>();
      for (String variable : route.getUriMatchTemplate().getVariableNames()) {
        values.put(variable, variable.equals("id") ? UUID.randomUUID().toString() : "liveness");
      }
      String path = route.getUriMatchTemplate().expand(values);
      // A route wins only for the media types it takes: POST /token_info (micronaut-security)
      // takes a form, and a JSON body there reaches POST /{collection}, a 404.
      MediaType type =
          route.getConsumes().isEmpty()
              ? MediaType.APPLICATION_JSON_TYPE
              : route.getConsumes().get(0);
      List<UriRouteMatch<Object, Object>> closest =
          closest(router, route.getHttpMethod(), path, type);
      String name = route.getHttpMethodName() + " " + route.getUriMatchTemplate();
      literal.add(name);
      assertThat(closest).as(name).isNotEmpty();
      assertThat(closest)
          .as(name + " is served by " + route.getDeclaringType().getSimpleName())
          .allSatisfy(
              match ->
                  assertThat(match.getRouteInfo().getDeclaringType())
                      .isEqualTo(route.getDeclaringType()));
    }
    assertThat(literal)
        .contains(
            "POST /tweets",
            "POST /files",
            "DELETE /tweets/{id}",
            "DELETE /files/{id}",
            "POST /tweets/batch",
            "POST /files/batch",
            "POST /ingest/bulk",
            "GET /route",
            "GET /health",
            "GET /prometheus");
    for (String[] request :
        new String[][] {{"POST", "/photos"}, {"POST", "/photos/batch"}, {"DELETE", "/photos/x"}}) {
      assertThat(
              closest(
                  router,
                  HttpMethod.valueOf(request[0]),
                  request[1],
                  MediaType.APPLICATION_JSON_TYPE))
          .singleElement()
          .satisfies(
              match ->
                  assertThat(match.getRouteInfo().getDeclaringType())
                      .isEqualTo(CollectionController.class));
    }
  }

  @Test
  void answersEveryLiteralPathFromItsOwnControllerOverHttp() throws Exception {
    String id = UUID.randomUUID().toString();
    String tweet = "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hi\"}";
    String file = "{\"user_id\":1,\"file_name\":\"a\"}";
    Map<String, HttpRequest.Builder> accepted = new java.util.LinkedHashMap<>();
    accepted.put("/tweets", post("/tweets", MediaType.APPLICATION_JSON, tweet));
    accepted.put("/files", post("/files", MediaType.APPLICATION_JSON, file));
    accepted.put("/tweets/batch", post("/tweets/batch", EventBodies.NDJSON, tweet + "\n"));
    accepted.put(
        "/files/batch", post("/files/batch", MediaType.APPLICATION_JSON, "[" + file + "]"));
    accepted.put("/tweets/{id}", builder("/tweets/" + id + "?location=usa&owner_id=7").DELETE());
    accepted.put("/files/{id}", builder("/files/" + id + "?user_id=7").DELETE());
    for (Map.Entry<String, HttpRequest.Builder> entry : accepted.entrySet()) {
      assertThat(send(entry.getValue(), Roles.INGEST).statusCode())
          .as(entry.getKey())
          .isEqualTo(202);
    }
    assertThat(
            send(post("/ingest/bulk?count=1", MediaType.APPLICATION_JSON, ""), Roles.ADMIN)
                .statusCode())
        .isEqualTo(202);
    assertThat(send(builder("/route?user_id=1").GET(), Roles.INGEST).statusCode()).isEqualTo(200);
    for (String path :
        List.of(
            "/health",
            "/health/liveness",
            "/health/readiness",
            "/swagger/ingest-api.yml",
            "/swagger-ui/index.html")) {
      assertThat(send(builder(path).GET(), Roles.ADMIN).statusCode()).as(path).isEqualTo(200);
    }
    // The framework's answers of the typed routes are unchanged too.
    assertProblem(
        send(post("/tweets", "text/plain", "hello"), Roles.INGEST),
        415,
        "Content-Type text/plain is not supported here",
        "\"instance\":\"/tweets\"");
    assertProblem(
        send(builder("/tweets").GET(), Roles.INGEST), 405, "GET is not allowed on /tweets");
    assertProblem(send(post("/photos", "text/plain", "hello"), Roles.INGEST), 404, UNKNOWN);

    // Paths no route served before: a POST or DELETE there now reaches a collection route.
    assertProblem(
        send(post("/route", MediaType.APPLICATION_JSON, "{}"), Roles.INGEST),
        404,
        "no event collection is named \\\"route\\\"");
    assertProblem(
        send(builder("/ingest/bulk").DELETE(), Roles.ADMIN),
        404,
        "no event collection is named \\\"ingest\\\"");
    assertProblem(
        send(builder("/photos").GET(), Roles.INGEST), 405, "GET is not allowed on /photos");

    // Micronaut tags each request with the template of the route that served it.
    HttpResponse<String> metrics = send(builder("/prometheus").GET(), Roles.ADMIN);
    assertThat(metrics.statusCode()).isEqualTo(200);
    for (String template : accepted.keySet()) {
      assertThat(served(metrics.body(), template, "202")).as(template).isGreaterThanOrEqualTo(1);
    }
    assertThat(served(metrics.body(), "/ingest/bulk", "202")).isGreaterThanOrEqualTo(1);
    assertThat(served(metrics.body(), "/route", "200")).isGreaterThanOrEqualTo(1);
    for (String template : List.of("/{collection}", "/{collection}/batch", "/{collection}/{id}")) {
      assertThat(served(metrics.body(), template, "202"))
          .as("no request was accepted by " + template)
          .isZero();
    }
  }

  // --- comparisons

  /** The typed route's 202 and record against the generic route's. */
  private void sameRecords(
      HttpResponse<String> typed,
      io.micronaut.http.HttpResponse<Published> viaCollection,
      boolean generated)
      throws Exception {
    assertThat(typed.statusCode()).as(typed.body()).isEqualTo(202);
    assertThat(viaCollection.code()).isEqualTo(202);
    assertThat(viaCollection.getHeaders().names()).as("neither sets a header of its own").isEmpty();
    Published theirs = json.readValue(typed.body(), Published.class);
    Published ours = viaCollection.body();
    assertThat(ours.partition()).isEqualTo(theirs.partition());
    assertThat(ours.shard()).isEqualTo(theirs.shard());
    assertThat(ours.token()).isNotEmpty();
    ConsumerRecord<byte[], byte[]> a = record(theirs.partition(), theirs.offset());
    ConsumerRecord<byte[], byte[]> b = record(ours.partition(), ours.offset());
    assertThat(b.key()).isEqualTo(a.key());
    assertThat(headers(b)).isEqualTo(headers(a));
    if (!generated) {
      assertThat(ours.id()).isEqualTo(theirs.id());
      assertThat(new String(b.value(), UTF_8)).isEqualTo(new String(a.value(), UTF_8));
      return;
    }
    assertThat(ours.id()).isNotEqualTo(theirs.id());
    assertThat(ours.id().version()).isEqualTo(7);
    Event x = CODEC.decode(a.value());
    Event y = CODEC.decode(b.value());
    assertThat(y.type()).isEqualTo(x.type());
    assertThat(y.op()).isEqualTo(x.op());
    assertThat(y.type().values(y)).isEqualTo(x.type().values(x));
    assertThat(y.id()).isEqualTo(ours.id());
  }

  private void sameBatch(
      HttpResponse<String> typed,
      CompletableFuture<io.micronaut.http.HttpResponse<BatchAccepted>> viaCollection)
      throws Exception {
    assertThat(typed.statusCode()).as(typed.body()).isEqualTo(202);
    io.micronaut.http.HttpResponse<BatchAccepted> response =
        viaCollection.get(30, TimeUnit.SECONDS);
    assertThat(response.code()).isEqualTo(202);
    assertThat(response.getHeaders().names()).isEmpty();
    BatchAccepted theirs = json.readValue(typed.body(), BatchAccepted.class);
    BatchAccepted ours = response.body();
    assertThat(ours.accepted()).isEqualTo(theirs.accepted()).isEqualTo(2);
    assertThat(ours.token()).isNotEmpty();
    for (int i = 0; i < ours.results().size(); i++) {
      Published a = theirs.results().get(i);
      Published b = ours.results().get(i);
      assertThat(b.id()).isEqualTo(a.id());
      assertThat(b.partition()).isEqualTo(a.partition());
      assertThat(b.shard()).isEqualTo(a.shard());
      ConsumerRecord<byte[], byte[]> x = record(a.partition(), a.offset());
      ConsumerRecord<byte[], byte[]> y = record(b.partition(), b.offset());
      assertThat(y.key()).isEqualTo(x.key());
      assertThat(new String(y.value(), UTF_8)).isEqualTo(new String(x.value(), UTF_8));
    }
  }

  /** Sends a request both ways; the problems must be equal, and so the rejections counted. */
  private void sameProblem(
      EventKind kind,
      Call<HttpResponse<String>> typed,
      Supplier<? extends CompletableFuture<?>> viaCollection,
      String path)
      throws Exception {
    double before = rejected(kind);
    HttpResponse<String> theirs = typed.call();
    double typedRejected = rejected(kind) - before;
    assertThat(theirs.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    ProblemException problem = null;
    before = rejected(kind);
    try {
      viaCollection.get().get(30, TimeUnit.SECONDS);
    } catch (ProblemException e) {
      problem = e;
    } catch (ExecutionException e) {
      problem = (ProblemException) e.getCause();
    }
    assertThat(problem).as("a problem for " + theirs.body()).isNotNull();
    assertThat(rejected(kind) - before)
        .as("rejections counted for " + path + ": " + theirs.body())
        .isEqualTo(typedRejected);
    io.micronaut.http.HttpResponse<?> ours = problem.response(path);
    assertThat(ours.code()).isEqualTo(theirs.statusCode());
    assertThat(withoutClock(json.writeValueAsString(ours.body())))
        .isEqualTo(withoutClock(theirs.body()));
  }

  private double rejected(EventKind kind) {
    return server
        .getApplicationContext()
        .getBean(MeterRegistry.class)
        .find(IngestMetrics.REJECTED)
        .tag("type", kind.wireName())
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** The body as a map, the server's clock in a max-future message left out. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> withoutClock(String body) throws Exception {
    return json.readValue(body.replaceAll("clock \\([^)]*\\)", "clock (now)"), Map.class);
  }

  // --- generic calls

  private static io.micronaut.http.HttpResponse<Published> published(
      CompletableFuture<io.micronaut.http.HttpResponse<Published>> response) throws Exception {
    return response.get(30, TimeUnit.SECONDS);
  }

  /** Calls the generic delete as the router would bind {@code DELETE path}. */
  private static CompletableFuture<io.micronaut.http.HttpResponse<Published>> deleteGenerically(
      String path) {
    MutableHttpRequest<?> request = io.micronaut.http.HttpRequest.DELETE(path);
    // A request built by hand does not parse its query; the server's does, as here.
    new QueryStringDecoder(path)
        .parameters()
        .forEach((name, values) -> request.getParameters().add(name, List.copyOf(values)));
    String[] segments = request.getPath().split("/");
    return generic.deleteEvent(
        segments[1],
        segments[2],
        request.getParameters().getFirst("occurred_at").orElse(null),
        request);
  }

  private static MutableHttpRequest<?> json(String path) {
    return request(path, MediaType.APPLICATION_JSON);
  }

  private static MutableHttpRequest<?> request(String path, String contentType) {
    return io.micronaut.http.HttpRequest.POST(path, "").contentType(contentType);
  }

  private static byte[] bytes(String body) {
    return body.getBytes(UTF_8);
  }

  private static String withIdAndTime(String object) {
    return object.substring(0, object.length() - 1)
        + ",\"id\":\""
        + UUID.randomUUID()
        + "\",\"occurred_at\":\""
        + AT
        + "\"}";
  }

  // --- HTTP

  private static List<HttpRequest.Builder> unknownCollection() {
    return List.of(
        post("/photos", MediaType.APPLICATION_JSON, "{\"user_id\":1}"),
        post("/photos/batch", MediaType.APPLICATION_JSON, "[{\"user_id\":1}]"),
        builder("/photos/" + UUID.randomUUID() + "?user_id=1").DELETE(),
        builder("/photos/not-a-uuid").DELETE());
  }

  private static List<UriRouteMatch<Object, Object>> closest(
      Router router, HttpMethod method, String path, MediaType type) {
    MutableHttpRequest<Object> request = io.micronaut.http.HttpRequest.create(method, path);
    request.contentType(type);
    return router.findAllClosest(request);
  }

  /** The count of requests served by the route with this template, with this status. */
  private static double served(String exposition, String template, String status) {
    return exposition
        .lines()
        .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
        .filter(line -> line.contains("uri=\"" + template + "\""))
        .filter(line -> line.contains("status=\"" + status + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return send(post(path, MediaType.APPLICATION_JSON, json), Roles.INGEST);
  }

  private static HttpResponse<String> delete(String path) throws Exception {
    return send(builder(path).DELETE(), Roles.INGEST);
  }

  private static HttpRequest.Builder post(String path, String contentType, String body) {
    return builder(path).header("Content-Type", contentType).POST(BodyPublishers.ofString(body));
  }

  private static HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
        .timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, @Nullable String role)
      throws Exception {
    HttpRequest built = request.copy().build();
    return CLIENT.send(
        role == null ? built : TestTokens.authorized(built, role), BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String... parts) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).contains(parts);
  }

  // --- Kafka

  private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
    List<String> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(header.key() + "=" + new String(header.value(), UTF_8));
    }
    return headers;
  }

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      for (int poll = 0; poll < 20; poll++) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() == offset) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no record at " + tp + "@" + offset);
  }

  /** A step that may throw, for the typed side of a comparison. */
  @FunctionalInterface
  private interface Call<T> {
    T call() throws Exception;
  }
}
