package dev.shardpipe.http.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

  private static EmbeddedServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("spec.name", "ProblemResponsesTest", "micronaut.server.max-request-size", "64"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersAnUnknownPathWith404Problem() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nowhere")).GET());
    assertProblem(
        response, 404, "\"title\":\"Not Found\"", "\"detail\":\"no resource at /nowhere\"");
    assertThat(response.body()).contains("\"type\":\"about:blank\"", "\"instance\":\"/nowhere\"");
  }

  @Test
  void answersAWrongMethodWith405Problem() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/echo")).GET());
    assertProblem(response, 405, "\"detail\":\"GET is not allowed on /echo\"");
  }

  @Test
  void answersAWrongMediaTypeWith415Problem() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/echo"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("hi")));
    assertProblem(response, 415, "\"detail\":\"Content-Type text/plain is not supported here\"");
  }

  @Test
  void answersMalformedJsonWith400WithoutTheParsersMessage() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/echo"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"a\":")));
    assertProblem(response, 400, "\"detail\":\"the body is not valid JSON\"");
    assertThat(response.body()).doesNotContain("Unexpected", "jackson", "at [Source");
  }

  @Test
  void answersABodyOverTheLimitWith413Problem() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/echo"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"a\":\"" + "x".repeat(200) + "\"}")));
    assertProblem(
        response,
        413,
        "\"detail\":\"the request body is larger than this endpoint accepts\"",
        "\"max_bytes\":64");
  }

  @Test
  void namesTheBufferLimitWhenItIsTheOneThatRefusedTheBody() throws Exception {
    // A body bound whole is buffered, and the buffer limit applies before the request size limit.
    try (EmbeddedServer buffered =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "spec.name", "ProblemResponsesTest",
                "micronaut.server.max-request-size", "1000",
                "micronaut.server.max-request-buffer-size", "100"))) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + buffered.getPort() + "/echo"))
                  .header("Content-Type", "application/json")
                  .POST(BodyPublishers.ofString("{\"a\":\"" + "x".repeat(200) + "\"}")));
      assertProblem(response, 413, "\"max_bytes\":100");
    }
  }

  @Test
  void namesAQueryParameterHoldingANulOrBytesThatAreNotUtf8() throws Exception {
    assertProblem(
        send(HttpRequest.newBuilder(uri("/text?s=a%00b")).GET()),
        400,
        "\"detail\":\"the request has invalid parameters\"",
        "{\"field\":\"s\",\"message\":\"must not contain NUL (%00)\"}");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/text?s=%ED%A0%80")).GET()),
        400,
        "{\"field\":\"s\",\"message\":\"must be UTF-8 text");
    HttpResponse<String> fine = send(HttpRequest.newBuilder(uri("/text?s=s%C3%A3o")).GET());
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.body()).isEqualTo("são");
  }

  @Test
  void rendersATooLargeProblemExceptionWithItsLimit() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/too-large")).GET());
    assertProblem(
        response,
        413,
        "\"type\":\"about:blank\"",
        "\"detail\":\"a single event is at most 10 bytes\"",
        "\"max_bytes\":10",
        "\"instance\":\"/too-large\"");
  }

  @Test
  void namesAMissingOrUnconvertibleParameter() throws Exception {
    assertProblem(
        send(HttpRequest.newBuilder(uri("/number")).GET()),
        400,
        "\"errors\":[{\"field\":\"n\",\"message\":\"is required\"}]");
    assertProblem(
        send(HttpRequest.newBuilder(uri("/number?n=abc")).GET()),
        400,
        "\"errors\":[{\"field\":\"n\",\"message\":\"must be an integer\"}]");
  }

  @Test
  void namesTheParameterAsTheClientSpelledIt() throws Exception {
    assertProblem(
        send(HttpRequest.newBuilder(uri("/owner?owner_id=x")).GET()),
        400,
        "\"errors\":[{\"field\":\"owner_id\",\"message\":\"must be an integer\"}]");
  }

  @Test
  void hidesTheMessageOfAnUnhandledException() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/boom")).GET());
    assertProblem(
        response,
        500,
        "\"detail\":\"the server failed to handle the request; the error is logged\"");
    assertThat(response.body()).doesNotContain("secret", "IllegalStateException");
  }

  @Test
  void rendersAProblemExceptionWithRetryAfterAndExtensions() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/unavailable")).GET());
    assertProblem(
        response,
        503,
        "\"type\":\"urn:shardpipe:problem:shard-unavailable\"",
        "\"shard\":\"eu\"",
        "\"instance\":\"/unavailable\"");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
  }

  private static void assertProblem(HttpResponse<String> response, int status, String... parts) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
    assertThat(response.body()).contains("\"status\":" + status).contains(parts);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  @Controller
  @Requires(property = "spec.name", value = "ProblemResponsesTest")
  static final class TestController {

    @Post("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode echo(@Body JsonNode body) {
      return body;
    }

    @Get("/number")
    long number(@QueryValue long n) {
      return n;
    }

    @Get(value = "/text", produces = MediaType.TEXT_PLAIN)
    String text(@QueryValue String s) {
      return s;
    }

    @Get("/owner")
    long owner(@QueryValue("owner_id") long ownerId) {
      return ownerId;
    }

    @Get("/boom")
    String boom() {
      throw new IllegalStateException("secret internal state");
    }

    @Get("/too-large")
    String tooLarge() {
      throw ProblemException.tooLarge("a single event is at most 10 bytes", 10);
    }

    @Get("/unavailable")
    String unavailable() {
      throw ProblemException.unavailable(
          "shard-unavailable",
          "Shard unavailable",
          "shard eu did not answer",
          Duration.ofMillis(1500),
          Map.of("shard", "eu"));
    }
  }
}
