package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.embedded.process.ServiceProcess;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading your own writes on the devstack, as a client does it: post a batch to ingest-api, then
 * read each event back from query-service at once with {@code read_after}, while the writers are
 * slowed down in their own databases; and a read whose writer is stopped answers {@code 503
 * not-yet-applied} until the writer runs again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadYourWritesIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final int BATCHES = 100;
  private static final int BATCH_SIZE = 100;
  private static final int READS_IN_FLIGHT = 32;
  private static final String[] LOCATIONS = {"europe", "usa", "asia"};

  /**
   * Each writer transaction advances an applied offset; sleeping in a statement trigger there holds
   * every transaction of the writer as long, as a busy database would.
   */
  private static final String SLOW_WRITER =
      """
      CREATE FUNCTION read_your_writes_it_slow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.05); RETURN NULL; END $$;
      CREATE TRIGGER read_your_writes_it_slow BEFORE INSERT OR UPDATE ON applied_offsets
      FOR EACH STATEMENT EXECUTE FUNCTION read_your_writes_it_slow();
      """;

  @TempDir static Path dataDir;

  private static DevstackOptions options;
  private static Devstack devstack;

  /** One tweet to post. */
  private record Tweet(String location, long ownerId, String text) {}

  /** One tweet posted: its id, and the token to read it with. */
  private record Posted(Tweet tweet, String id, String token) {}

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
  @Order(1)
  void readsEveryOneOfTenThousandWritesBackAtOnceWhileTheWritersAreSlowed() throws Exception {
    for (String shard : List.of("eu", "us")) {
      sql(shard, SLOW_WRITER);
    }
    try {
      List<String> misses = new ArrayList<>();
      long reads = 0;
      int missedWithoutToken = 0;
      for (int b = 0; b < BATCHES; b++) {
        List<Posted> batch = postBatch(b);
        Posted last = batch.get(batch.size() - 1);
        if (query(path(last, false)).statusCode() == 404) {
          missedWithoutToken++;
        }
        misses.addAll(readBack(batch));
        reads += batch.size();
      }
      assertThat(reads).isEqualTo((long) BATCHES * BATCH_SIZE);
      assertThat(misses).as("reads with read_after that did not find their row").isEmpty();
      assertThat(missedWithoutToken)
          .as("reads without read_after, at once after the 202, that found nothing yet")
          .isPositive();
    } finally {
      for (String shard : List.of("eu", "us")) {
        sql(shard, "DROP FUNCTION read_your_writes_it_slow() CASCADE");
      }
    }
  }

  @Test
  @Order(2)
  void answersNotYetAppliedWhileTheWriterIsStoppedAndTheRowOnceItRunsAgain() throws Exception {
    ServiceProcess writer = devstack.writer("us");
    writer.stop(Duration.ofSeconds(30));
    JsonNode accepted =
        JSON.readValue(
            post("/tweets", "{\"location\":\"usa\",\"owner_id\":7,\"text\":\"while stopped\"}"),
            JsonNode.class);
    assertThat(accepted.get("shard").getStringValue()).isEqualTo("us");
    String path =
        "/tweets/"
            + accepted.get("id").getStringValue()
            + "?owner_id=7&location=usa&read_after="
            + accepted.get("token").getStringValue();

    long started = System.nanoTime();
    HttpResponse<String> waiting = query(path);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
    assertThat(waiting.body()).contains("not-yet-applied");
    assertThat(waiting.headers().firstValue("Retry-After")).isPresent();
    assertThat(waitedMillis).as("waited the read-after timeout, 2 s").isBetween(1_900L, 15_000L);

    writer.start();
    writer.awaitHealthy(Duration.ofSeconds(60));
    HttpResponse<String> found = query(path);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    assertThat(JSON.readValue(found.body(), JsonNode.class).get("text").getStringValue())
        .isEqualTo("while stopped");
  }

  /** Posts batch {@code b}: every location, owners unique to the batch. */
  private static List<Posted> postBatch(int b) throws Exception {
    StringBuilder json = new StringBuilder("[");
    List<Tweet> tweets = new ArrayList<>(BATCH_SIZE);
    for (int i = 0; i < BATCH_SIZE; i++) {
      Tweet tweet =
          new Tweet(
              LOCATIONS[i % LOCATIONS.length],
              (long) b * BATCH_SIZE + i,
              "read your write " + b + "/" + i);
      json.append(i == 0 ? "" : ",")
          .append("{\"location\":\"")
          .append(tweet.location())
          .append("\",\"owner_id\":")
          .append(tweet.ownerId())
          .append(",\"text\":\"")
          .append(tweet.text())
          .append("\"}");
      tweets.add(tweet);
    }
    JsonNode answer =
        JSON.readValue(post("/tweets/batch", json.append(']').toString()), JsonNode.class);
    String batchToken = answer.get("token").getStringValue();
    List<Posted> posted = new ArrayList<>(BATCH_SIZE);
    for (int i = 0; i < BATCH_SIZE; i++) {
      JsonNode result = answer.get("results").get(i);
      // Half the reads name the event's own token, half the batch's, which covers every item.
      String token = i % 2 == 0 ? result.get("token").getStringValue() : batchToken;
      posted.add(new Posted(tweets.get(i), result.get("id").getStringValue(), token));
    }
    return posted;
  }

  /** Reads every event of a batch at once, some in flight together; returns the misses. */
  private static List<String> readBack(List<Posted> batch) throws Exception {
    Queue<String> misses = new ConcurrentLinkedQueue<>();
    Semaphore slots = new Semaphore(READS_IN_FLIGHT);
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (Posted event : batch) {
      slots.acquire();
      String path = path(event, true);
      reads.add(
          HTTP.sendAsync(request(options.queryPort(), path).GET().build(), BodyHandlers.ofString())
              .handle(
                  (response, error) -> {
                    slots.release();
                    if (error != null) {
                      misses.add(path + ": " + error);
                    } else if (response.statusCode() != 200
                        || !response.body().contains(event.tweet().text())) {
                      misses.add(path + ": " + response.statusCode() + " " + response.body());
                    }
                    return null;
                  }));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return List.copyOf(misses);
  }

  private static String path(Posted event, boolean readAfter) {
    return "/tweets/"
        + event.id()
        + "?owner_id="
        + event.tweet().ownerId()
        + "&location="
        + event.tweet().location()
        + (readAfter ? "&read_after=" + URLEncoder.encode(event.token(), UTF_8) : "");
  }

  private static String post(String path, String json) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request(options.ingestPort(), path)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json))
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body();
  }

  private static HttpResponse<String> query(String path) throws Exception {
    return HTTP.send(request(options.queryPort(), path).GET().build(), BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String path) {
    String role = port == options.ingestPort() ? Roles.INGEST : Roles.READ;
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + devstack.auth().orElseThrow().token(role));
  }

  private static void sql(String shard, String statements) throws Exception {
    try (Connection c =
            DriverManager.getConnection(devstack.postgres().jdbcUrl(Devstack.databaseName(shard)));
        Statement s = c.createStatement()) {
      s.execute(statements);
    }
  }
}
