package dev.shardpipe.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who may call query-service: each role's allowed and refused endpoints, and bad tokens. */
@ExtendWith(InfrastructureExtension.class)
class AuthIT {

  private static final Placement SEED =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> READS =
      List.of(
          "/tweets?limit=1",
          "/tweets?owner_id=1&location=europe",
          "/files?user_id=1",
          "/tweets/" + UUID.randomUUID() + "?owner_id=1&location=usa",
          "/files/" + UUID.randomUUID() + "?user_id=1");

  private static Infrastructure infra;
  private static String prefix;
  private static final List<HikariDataSource> SHARDS = new ArrayList<>();
  private static ApplicationContext service;
  private static URI base;

  @BeforeAll
  static void start(Infrastructure shared) throws Exception {
    infra = shared;
    prefix = Infrastructure.uniqueName("auth");
    String topic = Infrastructure.uniqueName("auth_events");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    for (String shard : SEED.shards()) {
      infra.createDatabase(prefix + "_" + shard);
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(shardUrl(shard));
      config.setUsername("postgres");
      config.setMaximumPoolSize(2);
      config.setAutoCommit(false);
      HikariDataSource dataSource = new HikariDataSource(config);
      ShardStore store = new ShardStore(dataSource, shard, topic);
      store.migrate();
      store.ensurePartitions(SEED.partitionsOf(shard));
      SHARDS.add(dataSource);
    }
    service =
        TestQueryService.start(
            TestQueryService.properties(
                infra, topic, shardUrl("{shard}"), "auth-it-cursor-secret"));
    base = TestQueryService.uri(service);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    SHARDS.forEach(HikariDataSource::close);
  }

  @Test
  void letsTheReadRoleReadAndSeeStatsButNotMetricsOrSwagger() throws Exception {
    String read = TestTokens.token(Roles.READ);
    for (String path : READS) {
      HttpResponse<String> response = get(path, read);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 404);
      assertThat(response.body()).doesNotContain("\"status\":401", "\"status\":403");
    }
    HttpResponse<String> stats = get("/stats", read);
    assertThat(stats.statusCode()).as("the console reads /stats: %s", stats.body()).isEqualTo(200);
    assertProblem(get("/prometheus", read), 403, "may not GET /prometheus");
    assertProblem(get("/swagger/query-service.yml", read), 403, "may not GET");
    assertProblem(get("/swagger-ui/index.html", read), 403, "may not GET");
  }

  @Test
  void refusesTheIngestRoleEveryRead() throws Exception {
    String ingest = TestTokens.token(Roles.INGEST);
    for (String path : READS) {
      assertProblem(get(path, ingest), 403, "the token's role may not GET");
    }
    assertProblem(get("/stats", ingest), 403, "may not GET /stats");
  }

  @Test
  void letsTheAdminRoleReadStatsMetricsAndSwagger() throws Exception {
    String admin = TestTokens.token(Roles.ADMIN);
    assertThat(get("/tweets?limit=1", admin).statusCode()).isEqualTo(200);
    HttpResponse<String> stats = get("/stats", admin);
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    assertThat(stats.body()).contains("\"shards\"");
    assertThat(get("/prometheus", admin).body()).contains("shardpipe_query_");
    HttpResponse<String> document = get("/swagger/query-service.yml", admin);
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).contains("securitySchemes:", "scheme: bearer");
    assertThat(get("/swagger-ui/index.html", admin).statusCode()).isEqualTo(200);
    for (String endpoint : List.of("/metrics", "/beans", "/routes", "/threaddump", "/info")) {
      assertThat(get(endpoint, null).statusCode()).as(endpoint).isNotEqualTo(200);
      assertThat(get(endpoint, admin).statusCode()).as(endpoint).isNotEqualTo(200);
    }
  }

  @Test
  void refusesNoExpiredTamperedOrWrongKeyTokenWith401() throws Exception {
    Instant now = Instant.now();
    String expired =
        TestTokens.SECRET.mint(Roles.READ, now.minus(Duration.ofHours(1)), now.minusSeconds(30));
    String valid = TestTokens.token(Roles.READ);
    // One character of the signature changed.
    int last = valid.length() - 2;
    String tampered =
        valid.substring(0, last)
            + (valid.charAt(last) == 'A' ? 'B' : 'A')
            + valid.substring(last + 1);
    String otherKey =
        SigningSecret.generate(new SecureRandom())
            .mint(Roles.ADMIN, Duration.ofMinutes(5), Clock.systemUTC());
    assertProblem(get("/tweets?limit=1", null), 401, "this request needs a bearer token");
    assertProblem(get("/stats", null), 401, "this request needs a bearer token");
    for (String token : List.of(expired, tampered, otherKey)) {
      assertProblem(get("/tweets?limit=1", token), 401, "the bearer token is not valid");
      assertProblem(get("/stats", token), 401, "the bearer token is not valid");
    }
  }

  @Test
  void leavesLivenessAndReadinessOpen() throws Exception {
    assertThat(get("/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get("/health/readiness", null).statusCode()).isEqualTo(200);
    HttpResponse<String> health = get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).doesNotContain("shards");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header(TestTokens.HEADER, "Bearer " + token);
    }
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).contains(detail);
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
