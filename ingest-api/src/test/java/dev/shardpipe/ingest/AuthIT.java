package dev.shardpipe.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who may call ingest-api: each role's allowed and refused endpoints, and bad tokens. */
@ExtendWith(InfrastructureExtension.class)
class AuthIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String TWEET = "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hi\"}";

  private static Infrastructure infra;
  private static String topic;
  private static EmbeddedServer server;

  @BeforeAll
  static void start(Infrastructure shared) throws InterruptedException {
    infra = shared;
    topic = Infrastructure.uniqueName("auth");
    infra.kafka().ensureTopic(topic, 16);
    server = IngestServers.start(IngestServers.properties(infra, topic));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void refusesARequestWithoutATokenWith401Problem() throws Exception {
    HttpResponse<String> response = send(postTweet(), null);
    assertProblem(response, 401, "this request needs a bearer token");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"shardpipe\"");
  }

  @Test
  void refusesExpiredTamperedAndWrongKeyTokensWith401() throws Exception {
    Instant now = Instant.now();
    String expired =
        TestTokens.SECRET.mint(Roles.ADMIN, now.minus(Duration.ofHours(2)), now.minusSeconds(60));
    String valid = TestTokens.token(Roles.INGEST);
    String[] parts = valid.split("\\.");
    // The same signature over claims that now say admin.
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8)
                        .replace("\"ingest\"", "\"admin\"")
                        .getBytes(UTF_8))
            + "."
            + parts[2];
    String otherKey =
        SigningSecret.generate(new SecureRandom())
            .mint(Roles.ADMIN, Duration.ofMinutes(5), clock());
    for (String token : new String[] {expired, tampered, otherKey, "not-a-jwt"}) {
      HttpResponse<String> refused = send(postTweet(), token);
      assertProblem(refused, 401, "the bearer token is not valid");
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"shardpipe\", error=\"invalid_token\"");
      assertProblem(send(get("/prometheus"), token), 401, "the bearer token is not valid");
    }
  }

  @Test
  void letsTheIngestRolePostAndDeleteButNothingAdminOnly() throws Exception {
    String ingest = TestTokens.token(Roles.INGEST);
    assertThat(send(postTweet(), ingest).statusCode()).isEqualTo(202);
    assertThat(send(post("/tweets/batch", "[" + TWEET + "," + TWEET + "]"), ingest).statusCode())
        .isEqualTo(202);
    assertThat(send(delete("/files/" + UUID.randomUUID() + "?user_id=1"), ingest).statusCode())
        .isEqualTo(202);
    assertProblem(send(post("/ingest/bulk?count=1", ""), ingest), 403, "may not POST /ingest/bulk");
    assertProblem(send(get("/prometheus"), ingest), 403, "may not GET /prometheus");
    assertProblem(send(get("/swagger-ui/index.html"), ingest), 403, "may not GET");
    assertProblem(send(get("/swagger/ingest-api.yml"), ingest), 403, "may not GET");
  }

  @Test
  void refusesTheReadRoleEveryWrite() throws Exception {
    String read = TestTokens.token(Roles.READ);
    assertProblem(send(postTweet(), read), 403, "the token's role may not POST /tweets");
    assertProblem(
        send(delete("/tweets/" + UUID.randomUUID() + "?location=usa&owner_id=1"), read),
        403,
        "may not DELETE");
    assertProblem(send(post("/files/batch", "[]"), read), 403, "may not POST /files/batch");
  }

  @Test
  void letsTheAdminRoleDoEverything() throws Exception {
    String admin = TestTokens.token(Roles.ADMIN);
    assertThat(send(postTweet(), admin).statusCode()).isEqualTo(202);
    assertThat(send(post("/ingest/bulk?count=2", ""), admin).statusCode()).isEqualTo(202);
    HttpResponse<String> metrics = send(get("/prometheus"), admin);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("shardpipe_ingest_events_accepted_total");
    HttpResponse<String> document = send(get("/swagger/ingest-api.yml"), admin);
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).contains("securitySchemes:", "scheme: bearer", "bearerFormat: JWT");
    assertThat(send(get("/swagger-ui/index.html"), admin).statusCode()).isEqualTo(200);
    for (String endpoint : List.of("/metrics", "/beans", "/routes", "/threaddump", "/info")) {
      assertThat(send(get(endpoint), null).statusCode()).as(endpoint).isNotEqualTo(200);
      assertThat(send(get(endpoint), admin).statusCode()).as(endpoint).isNotEqualTo(200);
    }
    assertThat(send(post("/refresh", "{}"), admin).statusCode()).isNotEqualTo(200);
  }

  @Test
  void leavesTheProbesOpenAndShowsHealthDetailsOnlyWithAToken() throws Exception {
    assertThat(send(get("/health/liveness"), null).statusCode()).isEqualTo(200);
    assertThat(send(get("/health/readiness"), null).statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = send(get("/health"), null);
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("kafka");
    HttpResponse<String> withToken = send(get("/health"), TestTokens.token(Roles.INGEST));
    assertThat(withToken.body()).contains("kafka");
    // A path no route serves is 404, not 401, with or without a token; a path served for another
    // method (POST /{collection} serves every one-segment path) is 405.
    assertProblem(send(get("/tweetz/a/b"), null), 404, "no resource at /tweetz/a/b");
    assertProblem(send(get("/tweetz"), null), 405, "GET is not allowed on /tweetz");
  }

  @Test
  void acceptsRequestsWithoutATokenWhenAuthenticationIsOff() throws Exception {
    Map<String, Object> properties = properties();
    properties.put("micronaut.security.enabled", false);
    try (EmbeddedServer open = ApplicationContext.run(EmbeddedServer.class, properties)) {
      IngestServers.awaitCatalog(open);
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.getPort() + "/tweets"))
                  .header("Content-Type", "application/json")
                  .POST(BodyPublishers.ofString(TWEET))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
  }

  @Test
  void refusesToStartWithAuthenticationOnButNoOrAShortSecret() {
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("authentication is on but " + SigningSecret.PROPERTY + " is not set");
    Map<String, Object> shortSecret = properties();
    shortSecret.put(SigningSecret.PROPERTY, "too-short");
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, shortSecret))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the signing secret is 9 bytes; HS256 needs at least 32");
  }

  private static Map<String, Object> properties() {
    Map<String, Object> properties = IngestServers.properties(infra, topic);
    properties.remove(SigningSecret.PROPERTY);
    return properties;
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }

  private static HttpRequest.Builder postTweet() {
    return post("/tweets", TWEET);
  }

  private static HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(json));
  }

  private static HttpRequest.Builder delete(String path) {
    return HttpRequest.newBuilder(uri(path)).DELETE();
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String token)
      throws Exception {
    if (token != null) {
      request.header(TestTokens.HEADER, "Bearer " + token);
    }
    return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).contains(detail);
  }
}
