package dev.shardpipe.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.TestQueryService;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.JsonMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind read from the kind alone: {@code KindTable.of(kind)} through {@link
 * CollectionController} gives the bytes a kind's own route gives, page by page and row by row, and
 * the generic routes leave every literal route and static resource of the service as it was.
 */
@ExtendWith(InfrastructureExtension.class)
class CollectionReadsIT {

  private static final Routing ROUTING = Routing.defaults();
  private static final Placement PLACEMENT =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Instant TIE = Instant.parse("2026-11-21T09:00:00.123456Z");
  private static final int MAX_PAGES = 500;

  private static Infrastructure infra;
  private static String prefix;
  private static final List<HikariDataSource> SHARDS = new ArrayList<>();
  private static final List<FileEvent> FILES = new ArrayList<>();
  private static final List<TweetEvent> TWEETS = new ArrayList<>();
  private static ApplicationContext service;
  private static CollectionController collections;
  private static JsonMapper json;
  private static URI base;

  @BeforeAll
  static void fillTwoShardsAndStartTheService(Infrastructure shared) throws Exception {
    infra = shared;
    prefix = Infrastructure.uniqueName("collections");
    String topic = Infrastructure.uniqueName("collections_events");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    for (String location : List.of("europe", "usa", "asia")) {
      for (long owner = 1; owner <= 4; owner++) {
        for (int i = 0; i < 3; i++) {
          TWEETS.add(TestEvents.tweet(location, owner));
        }
      }
    }
    for (int i = 0; i < 8; i++) {
      String location = List.of("europe", "usa", "asia").get(i % 3);
      TWEETS.add(
          TweetEvent.upsert(UUID.randomUUID(), TIE, location, 3, "same \"instant\" ü " + i, i));
    }
    for (long user = 1; user <= 8; user++) {
      for (int i = 0; i < 3; i++) {
        FILES.add(TestEvents.file(user));
      }
    }
    for (int i = 0; i < 6; i++) {
      // Even ones without size or type: both come back as null.
      FILES.add(
          FileEvent.upsert(
              UUID.randomUUID(),
              TIE,
              20 + i % 2,
              "tie/" + i,
              i % 2 == 0 ? null : 7L,
              i % 2 == 0 ? null : "text/plain"));
    }
    Map<Integer, List<Event>> byPartition = new TreeMap<>();
    List<Event> events = new ArrayList<>(TWEETS);
    events.addAll(FILES);
    for (Event event : events) {
      byPartition.computeIfAbsent(ROUTING.partitionFor(event), p -> new ArrayList<>()).add(event);
    }
    for (String shard : PLACEMENT.shards()) {
      infra.createDatabase(prefix + "_" + shard);
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(shardUrl(shard));
      config.setUsername("postgres");
      config.setMaximumPoolSize(2);
      config.setAutoCommit(false);
      HikariDataSource dataSource = new HikariDataSource(config);
      SHARDS.add(dataSource);
      ShardStore store = new ShardStore(dataSource, shard, topic);
      store.migrate();
      store.ensurePartitions(PLACEMENT.partitionsOf(shard));
      for (int partition : PLACEMENT.partitionsOf(shard)) {
        List<Event> batch = byPartition.get(partition);
        if (batch != null) {
          store.apply(partition, batch, null, batch.size());
        }
      }
    }
    service =
        TestQueryService.start(
            TestQueryService.properties(
                infra, topic, shardUrl("{shard}"), "collection-reads-it-secret"));
    base = TestQueryService.uri(service);
    collections = service.getBean(CollectionController.class);
    json = service.getBean(JsonMapper.class);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    SHARDS.forEach(HikariDataSource::close);
  }

  @Test
  void readsFilesFromTheKindAloneAsGetFilesDoesPageByPage() throws Exception {
    List<String> queries = new ArrayList<>();
    for (int limit : List.of(1, 7, 1000)) {
      queries.add("limit=" + limit);
      queries.add("user_id=20&limit=" + limit);
    }
    queries.add("user_id=3");
    int items = 0;
    for (String query : queries) {
      items += assertSameWalk("files", query);
    }
    assertThat(items).as("every file in each walk").isGreaterThan(FILES.size() * 3);
    String nulls = get("/files?user_id=20", Roles.READ).body();
    assertThat(nulls).contains("\"size_bytes\":null,\"content_type\":null");
  }

  @Test
  void readsTweetsFromTheKindAloneAsGetTweetsDoesPageByPage() throws Exception {
    List<String> queries = new ArrayList<>();
    for (int limit : List.of(1, 7, 1000)) {
      queries.add("limit=" + limit);
      queries.add("location=asia&limit=" + limit);
    }
    queries.add("owner_id=3&limit=5");
    queries.add("owner_id=3&location=usa&limit=4");
    queries.add("location=usa&owner_id=3&limit=4");
    for (String query : queries) {
      assertSameWalk("tweets", query);
    }
  }

  @Test
  void findsOneRowFromTheKindAloneAsTheKindsOwnRouteDoes() throws Exception {
    for (FileEvent file : FILES.subList(FILES.size() - 2, FILES.size())) {
      String id = file.id().toString();
      for (String query : List.of("", "user_id=" + file.data().userId())) {
        String typed = body("/files/" + id + (query.isEmpty() ? "" : "?" + query));
        String generic =
            json.writeValueAsString(
                collections
                    .get("files", file.id(), null, null, request("/files/" + id, query))
                    .join());
        assertThat(generic).as("%s?%s", id, query).isEqualTo(typed);
      }
    }
    assertThat(body("/files/" + FILES.get(FILES.size() - 2).id()))
        .contains("\"size_bytes\":null,\"content_type\":null");
    TweetEvent tweet = TWEETS.get(TWEETS.size() - 1);
    String key = "owner_id=3&location=" + tweet.data().location();
    String generic =
        json.writeValueAsString(
            collections
                .get("tweets", tweet.id(), null, null, request("/tweets/" + tweet.id(), key))
                .join());
    assertThat(generic).isEqualTo(body("/tweets/" + tweet.id() + "?" + key));
  }

  @Test
  void checksTheKeyFieldsAsTheKindsOwnRouteDoes() throws Exception {
    for (String query : List.of("owner_id=abc", "location=" + "x".repeat(65), "limit=0")) {
      HttpResponse<String> typed = get("/tweets?" + query, Roles.READ);
      assertThat(typed.statusCode()).isEqualTo(400);
      assertThatThrownBy(
              () ->
                  collections.list(
                      "tweets", limit(query), null, null, null, request("/tweets", query)))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(errors(e)).as(query).isEqualTo(errors(typed)));
    }
    HttpResponse<String> half = get("/files/" + UUID.randomUUID() + "?user_id=-1", Roles.READ);
    assertThatThrownBy(
            () ->
                collections.get(
                    "files", UUID.randomUUID(), null, null, request("/files", "user_id=-1")))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(errors(e)).isEqualTo(errors(half)));
  }

  @Test
  void answersAnUnknownCollectionWith404NamingTheCollections() throws Exception {
    for (String path : List.of("/widgets", "/widgets?user_id=1", "/widgets/" + UUID.randomUUID())) {
      HttpResponse<String> response = get(path, Roles.READ);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(response.body())
          .contains("no collection widgets; the collections are tweets, files");
    }
    HttpResponse<String> badId = get("/widgets/not-a-uuid", Roles.READ);
    assertThat(badId.statusCode()).as(badId.body()).isEqualTo(400);
  }

  @Test
  void needsTheTokenAndRoleOfTheTypedReads() throws Exception {
    for (String path : List.of("/widgets", "/widgets/" + UUID.randomUUID())) {
      HttpResponse<String> none = get(path, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.body()).contains("this request needs a bearer token");
      HttpResponse<String> ingest = get(path, Roles.INGEST);
      assertThat(ingest.statusCode()).as(path).isEqualTo(403);
      assertThat(get(path, Roles.ADMIN).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void leavesEveryLiteralRouteAndStaticResourceAsItWas() throws Exception {
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    expected.put("/tweets?limit=1", 200);
    expected.put("/files?limit=1", 200);
    expected.put("/tweets/" + TWEETS.get(0).id(), 200);
    expected.put("/files/" + FILES.get(0).id(), 200);
    expected.put("/stats", 200);
    expected.put("/health", 200);
    expected.put("/health/liveness", 200);
    expected.put("/health/readiness", 200);
    expected.put("/prometheus", 200);
    expected.put("/swagger/query-service.yml", 200);
    expected.put("/swagger-ui/index.html", 200);
    expected.put("/console/index.html", 200);
    expected.put("/console/console.js", 200);
    expected.put("/console/console.css", 200);
    expected.put("/console", 303);
    for (Map.Entry<String, Integer> path : expected.entrySet()) {
      HttpResponse<String> response = get(path.getKey(), Roles.ADMIN);
      assertThat(response.statusCode())
          .as("%s: %s", path.getKey(), response.body())
          .isEqualTo(path.getValue());
      assertThat(response.body()).doesNotContain("no collection");
    }
    // Paths no route or resource serves under the static mappings stay a plain 404.
    for (String path : List.of("/swagger", "/swagger/nothing.yml", "/console/nothing.js")) {
      HttpResponse<String> response = get(path, Roles.ADMIN);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).doesNotContain("no collection");
    }
    assertThat(get("/swagger-ui/index.html", Roles.READ).statusCode()).isEqualTo(403);
    assertThat(get("/console/index.html", null).statusCode()).isEqualTo(200);

    // Micronaut tags each request with the template of the route that served it.
    String metrics = get("/prometheus", Roles.ADMIN).body();
    for (String uri : List.of("/tweets", "/files", "/tweets/{id}", "/files/{id}")) {
      assertThat(served(metrics, uri)).as(uri).isPositive();
    }
    double generic = servedByCollections(metrics);
    // A 404 is tagged NOT_FOUND whatever served it; a 400 keeps the route's template.
    assertThat(get("/widgets/not-a-uuid", Roles.READ).statusCode()).isEqualTo(400);
    assertThat(servedByCollections(get("/prometheus", Roles.ADMIN).body()))
        .as("the generic route is told apart in the metrics")
        .isEqualTo(generic + 1);
    generic += 1;
    for (String path : List.of("/tweets", "/files?user_id=2", "/tweets/" + TWEETS.get(1).id())) {
      assertThat(get(path, Roles.READ).statusCode()).isEqualTo(200);
    }
    assertThat(servedByCollections(get("/prometheus", Roles.ADMIN).body()))
        .as("requests the generic routes served")
        .isEqualTo(generic);

    String document = get("/swagger/query-service.yml", Roles.ADMIN).body();
    assertThat(document).contains("  /tweets:", "  /tweets/{id}:", "  /files:", "  /files/{id}:");
    assertThat(document).contains("  /{collection}:", "  /{collection}/{id}:");
  }

  /**
   * Walks a list from its first page to its last over HTTP and through the generic controller with
   * the same cursors, and requires the same bytes on every page.
   *
   * @return the number of items walked
   */
  private static int assertSameWalk(String collection, String query) throws Exception {
    String cursor = null;
    int items = 0;
    for (int page = 0; page < MAX_PAGES; page++) {
      String pageQuery =
          query
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      String typed = body("/" + collection + "?" + pageQuery);
      String generic =
          json.writeValueAsString(
              collections
                  .list(
                      collection,
                      limit(query),
                      cursor,
                      null,
                      null,
                      request("/" + collection, pageQuery))
                  .join());
      assertThat(generic).as("%s?%s", collection, pageQuery).isEqualTo(typed);
      Map<String, Object> parsed =
          json.readValue(typed, Argument.mapOf(String.class, Object.class));
      items += ((List<?>) parsed.get("items")).size();
      cursor = (String) parsed.get("next_cursor");
      if (cursor == null) {
        return items;
      }
    }
    throw new AssertionError("no last page within " + MAX_PAGES + " pages of " + query);
  }

  /** A request as the server would bind it: its query parameters decoded. */
  private static io.micronaut.http.HttpRequest<?> request(String path, String query) {
    MutableHttpRequest<?> request = io.micronaut.http.HttpRequest.GET(path);
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        String[] parts = pair.split("=", 2);
        request.getParameters().add(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
      }
    }
    return request;
  }

  private static String limit(String query) {
    Matcher limit = Pattern.compile("(?:^|&)limit=([^&]*)").matcher(query);
    return limit.find() ? limit.group(1) : null;
  }

  private static List<Violation> errors(ProblemException e) {
    return e.problem().errors();
  }

  private static List<Violation> errors(HttpResponse<String> response) {
    try {
      Map<String, Object> problem =
          json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
      List<Violation> errors = new ArrayList<>();
      for (Object error : (List<?>) problem.get("errors")) {
        Map<?, ?> e = (Map<?, ?>) error;
        errors.add(new Violation((String) e.get("field"), (String) e.get("message")));
      }
      return errors;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double served(String metrics, String uri) {
    double count = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("http_server_requests_seconds_count{")
          && line.contains("uri=\"" + uri + "\"")) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return count;
  }

  private static double servedByCollections(String metrics) {
    double count = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("http_server_requests_seconds_count{") && line.contains("collection")) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return count;
  }

  private static String body(String path) throws Exception {
    HttpResponse<String> response = get(path, Roles.READ);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(String path, String role) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (role != null) {
      request.header(TestTokens.HEADER, TestTokens.authorization(role));
    }
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  private static String shardUrl(String shard) {
    return "jdbc:postgresql://"
        + infra.postgres().host()
        + ":"
        + infra.postgres().port()
        + "/"
        + prefix
        + "_"
        + shard;
  }
}
