package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.embedded.process.ServiceProcess;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A fuzz run against both HTTP services of the devstack: 10 000 malformed, oversized and hostile
 * bodies, paths and query strings from a seeded generator. Every one must get an answer below 500,
 * no service may die or be restarted (each JVM exits on running out of heap), and both must serve a
 * normal write and read afterwards.
 */
class HostileInputIT {

  private static final int REQUESTS = 10_000;
  private static final int IN_FLIGHT = 8;
  private static final long SEED = 20_261_207L;
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Bytes no part of an HTTP request may hold unescaped, and text that is not what it claims. */
  private static final String[] HOSTILE_TEXT = {
    "%00", "%ED%A0%80", "%FF%FE", "%25", "..%2F..%2Fetc%2Fpasswd", "'%20OR%201=1--", "%C0%AF",
    "9223372036854775808", "-1", "1e400", "NaN", "%E2%80%AE", "%F0%9F%98%80", ""
  };

  private static final String[] QUERY_PATHS = {
    "/tweets", "/files", "/tweets/", "/files/", "/stats", "/tweets/batch"
  };

  @TempDir static Path dataDir;

  private static DevstackOptions options;
  private static Devstack devstack;

  /** One request to send: where, how, and what. */
  private record Hostile(int port, String method, String path, String contentType, byte[] body) {}

  @BeforeAll
  static void start() throws Exception {
    options = TestDevstacks.options(dataDir);
    devstack = Devstack.start(options);
  }

  @AfterAll
  static void stop() {
    if (devstack != null) {
      devstack.close();
    }
  }

  @Test
  void answersTenThousandHostileRequestsBelow500AndServesNormallyAfterwards() throws Exception {
    Map<String, Long> pids = new TreeMap<>();
    for (ServiceProcess service : devstack.services()) {
      pids.put(service.spec().name(), service.pid());
    }
    Random random = new Random(SEED);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      Hostile hostile = next(random);
      slots.acquire();
      HttpRequest request;
      try {
        request =
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + hostile.port() + hostile.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", hostile.contentType())
                .header("Authorization", authorization(random))
                .method(hostile.method(), BodyPublishers.ofByteArray(hostile.body()))
                .build();
      } catch (IllegalArgumentException e) {
        // java.net.http refuses some of these paths itself; the servers never see them.
        slots.release();
        continue;
      }
      sent.add(
          HTTP.sendAsync(request, BodyHandlers.ofString())
              .handle(
                  (response, error) -> {
                    slots.release();
                    // 0: no answer, the connection closed, as a server may for a body it refuses
                    // while it still arrives; a dead server would show as a restarted process.
                    int status = response == null ? 0 : response.statusCode();
                    Throwable cause =
                        error instanceof CompletionException ? error.getCause() : error;
                    if (status >= 500) {
                      serverErrors.add(
                          hostile.method() + " " + hostile.path() + " -> " + response.body());
                    } else if (error != null && !(cause instanceof IOException)) {
                      serverErrors.add(hostile.method() + " " + hostile.path() + " -> " + error);
                    }
                    statuses.merge(status, 1, Integer::sum);
                    return null;
                  }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);

    LoggerFactory.getLogger(HostileInputIT.class).info("answers by status: {}", statuses);
    assertThat(serverErrors).as("answers of 500 or more, of %s", statuses).isEmpty();
    assertThat(statuses.keySet()).as("statuses").anyMatch(s -> s >= 400 && s < 500);
    for (ServiceProcess service : devstack.services()) {
      assertThat(service.pid())
          .as("%s was not restarted (it would be, had it run out of heap)", service.spec().name())
          .isEqualTo(pids.get(service.spec().name()));
    }

    HttpResponse<String> accepted =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + options.ingestPort() + "/tweets"))
                .header("Content-Type", "application/json")
                .header(
                    "Authorization", "Bearer " + devstack.auth().orElseThrow().token(Roles.INGEST))
                .POST(
                    BodyPublishers.ofString(
                        "{\"location\":\"europe\",\"owner_id\":5,\"text\":\"after the storm\"}"))
                .build(),
            BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonNode answer = JSON.readValue(accepted.body(), JsonNode.class);
    HttpResponse<String> read =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + options.queryPort()
                            + "/tweets/"
                            + answer.get("id").getStringValue()
                            + "?owner_id=5&location=europe&read_after="
                            + answer.get("token").getStringValue()))
                .header(
                    "Authorization", "Bearer " + devstack.auth().orElseThrow().token(Roles.READ))
                .build(),
            BodyHandlers.ofString());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("after the storm");
  }

  /**
   * Mostly a valid admin token, so that the bodies and parameters reach the code that parses them;
   * now and then a token that is garbage, empty, or of no scheme at all.
   */
  private static String authorization(Random random) {
    String admin = "Bearer " + devstack.auth().orElseThrow().token(Roles.ADMIN);
    return switch (random.nextInt(20)) {
      case 0 -> "Bearer " + randomToken(random);
      case 1 -> "Bearer ";
      case 2 -> admin.substring(0, admin.length() - 1 - random.nextInt(10));
      case 3 -> "Basic " + randomToken(random);
      default -> admin;
    };
  }

  /** The next hostile request: one of the generators below, chosen at random. */
  private static Hostile next(Random random) {
    List<Supplier<Hostile>> kinds =
        List.of(
            () -> ingest(random, "POST", randomEventPath(random), json(), garbage(random)),
            () -> ingest(random, "POST", randomEventPath(random), json(), brokenJson(random)),
            () -> ingest(random, "POST", "/tweets/batch", ndjson(), brokenNdjson(random)),
            () -> ingest(random, "POST", "/tweets", json(), deepNesting(random)),
            () ->
                ingest(
                    random,
                    "POST",
                    "/files",
                    random.nextBoolean() ? "text/plain" : "",
                    garbage(random)),
            () ->
                ingest(
                    random,
                    "DELETE",
                    "/tweets/" + hostileText(random) + hostileQuery(random),
                    json(),
                    new byte[0]),
            () ->
                query(
                    "GET",
                    QUERY_PATHS[random.nextInt(QUERY_PATHS.length)]
                        + hostileText(random)
                        + hostileQuery(random)),
            () ->
                query(
                    "GET",
                    "/tweets?limit=" + hostileText(random) + "&cursor=" + randomToken(random)),
            () ->
                query(
                    "GET", "/tweets?owner_id=1&location=europe&read_after=" + randomToken(random)),
            () -> query(random.nextBoolean() ? "POST" : "PUT", "/tweets" + hostileQuery(random)));
    Supplier<Hostile> kind = kinds.get(random.nextInt(kinds.size()));
    if (random.nextInt(2_000) == 0) {
      // Rarely, a body past the 16 MB limit: refused as it arrives, never buffered whole.
      return ingest(random, "POST", "/tweets/batch", json(), new byte[17 * 1024 * 1024]);
    }
    return kind.get();
  }

  private static Hostile ingest(
      Random random, String method, String path, String contentType, byte[] body) {
    return new Hostile(
        options.ingestPort(), method, path, contentType.isEmpty() ? "x/y" : contentType, body);
  }

  private static Hostile query(String method, String path) {
    return new Hostile(options.queryPort(), method, path, json(), new byte[0]);
  }

  private static String json() {
    return "application/json";
  }

  private static String ndjson() {
    return "application/x-ndjson";
  }

  private static String randomEventPath(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "/tweets";
      case 1 -> "/files";
      case 2 -> "/tweets/batch";
      default -> "/files/batch";
    };
  }

  private static byte[] garbage(Random random) {
    return garbage(random, random.nextInt(4_096));
  }

  private static byte[] garbage(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A valid-looking event cut short, with a field of the wrong type, or a field far too long. */
  private static byte[] brokenJson(Random random) {
    String text = "x".repeat(random.nextInt(3) == 0 ? 300_000 : 10);
    String[] bodies = {
      "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"" + text + "\"}",
      "{\"location\":42,\"owner_id\":\"europe\",\"text\":[]}",
      "{\"location\":\"europe\",\"owner_id\":1e400,\"text\":\"a\"}",
      "{\"location\":\"europe\",\"owner_id\":99999999999999999999999,\"text\":\"a\"}",
      "{\"location\":\"\\ud800\",\"owner_id\":1,\"text\":\"\\u0000\"}",
      "{\"location\":\"europe\",\"location\":\"usa\",\"owner_id\":1,\"text\":\"dup\"}",
      "{\"user_id\":1,\"file_name\":\"" + text + "\",\"size_bytes\":-5}",
      "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"}," + "0,".repeat(20_000) + "0]",
      "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\",\"occurred_at\":\"9999-12-31T23:59:59Z\"}",
    };
    String body = bodies[random.nextInt(bodies.length)];
    int cut = random.nextInt(3) == 0 ? random.nextInt(body.length() + 1) : body.length();
    return body.substring(0, cut).getBytes(UTF_8);
  }

  private static byte[] brokenNdjson(Random random) {
    StringBuilder lines = new StringBuilder();
    for (int i = random.nextInt(50); i >= 0; i--) {
      lines
          .append(
              random.nextBoolean()
                  ? "{\"location\":\"usa\",\"owner_id\":" + random.nextInt() + ",\"text\":\"t\"}"
                  : HexFormat.of().formatHex(garbage(random, 1 + random.nextInt(64))))
          .append(random.nextBoolean() ? "\n" : "\r\n");
    }
    return lines.toString().getBytes(UTF_8);
  }

  private static byte[] deepNesting(Random random) {
    int depth = 1_000 + random.nextInt(100_000);
    return ("[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0)).getBytes(UTF_8);
  }

  private static String hostileText(Random random) {
    return HOSTILE_TEXT[random.nextInt(HOSTILE_TEXT.length)];
  }

  private static String hostileQuery(Random random) {
    StringBuilder query = new StringBuilder("?");
    for (int i = random.nextInt(6); i >= 0; i--) {
      query
          .append(random.nextBoolean() ? "owner_id" : random.nextBoolean() ? "location" : "user_id")
          .append('=')
          .append(hostileText(random))
          .append('&');
    }
    if (random.nextInt(50) == 0) {
      query.append("q=").append("a".repeat(20_000));
    }
    return query.toString();
  }

  private static String randomToken(Random random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
