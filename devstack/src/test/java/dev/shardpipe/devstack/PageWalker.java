package dev.shardpipe.devstack;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Walks newest-first pages through query-service without pause, merged ({@code location=europe},
 * read from every shard holding a European partition) and routed ({@code owner_id} and {@code
 * location}), and checks each walk against the ground truth of the rows acknowledged and applied
 * before it started: no row twice, none of those missing, and no {@code 5xx}. A request that gets
 * no answer at all (query-service killed by the test) ends the walk without judging it.
 */
final class PageWalker implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String query;
  private final ElasticLoad load;
  private final FreshnessWatch freshness;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicLong pages = new AtomicLong();
  private final AtomicLong walks = new AtomicLong();
  private final String authorization;
  private final Thread thread;
  private volatile boolean running = true;

  private PageWalker(String query, String token, ElasticLoad load, FreshnessWatch freshness) {
    this.query = query;
    this.authorization = "Bearer " + token;
    this.load = load;
    this.freshness = freshness;
    this.thread = new Thread(this::run, "page-walker");
    this.thread.setDaemon(true);
  }

  /** Starts walking the pages with a token of role read. */
  static PageWalker start(String query, String token, ElasticLoad load, FreshnessWatch freshness) {
    PageWalker walker = new PageWalker(query, token, load, freshness);
    walker.thread.start();
    return walker;
  }

  List<String> problems() {
    return problems;
  }

  long pagesRead() {
    return pages.get();
  }

  long walks() {
    return walks.get();
  }

  private void run() {
    long owner = 7;
    while (running) {
      try {
        walk("/tweets?location=europe&limit=1000", "europe", null);
        walk("/tweets?location=europe&owner_id=" + owner + "&limit=100", "europe", owner);
        owner = owner % 40 + 1;
        walks.incrementAndGet();
      } catch (IOException e) {
        sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One walk from the newest row to the oldest. */
  private void walk(String first, String location, Long owner)
      throws IOException, InterruptedException {
    Map<Integer, Long> applied = freshness.applied();
    Set<String> expected = new HashSet<>();
    for (ElasticLoad.Ack ack : load.acks().values()) {
      if (ack.table().equals("tweets")
          && location.equals(ack.location())
          && (owner == null || owner == ack.owner())
          && ack.offset() >= 0
          && ack.offset() < applied.getOrDefault(ack.partition(), 0L)) {
        expected.add(ack.id());
      }
    }
    Set<String> seen = new HashSet<>();
    String path = first;
    while (path != null && running) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(query + path))
                  .header("Authorization", authorization)
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              BodyHandlers.ofString());
      pages.incrementAndGet();
      if (response.statusCode() >= 500) {
        problems.add(path + " answered " + response.statusCode() + ": " + response.body());
        return;
      }
      if (response.statusCode() != 200) {
        problems.add(path + " answered " + response.statusCode() + ": " + response.body());
        return;
      }
      JsonNode page = JSON.readValue(response.body(), JsonNode.class);
      if (page.get("partial") != null && page.get("partial").getBooleanValue()) {
        problems.add(path + " was partial: " + response.body().substring(0, 200));
        return;
      }
      for (JsonNode item : page.get("items").values()) {
        String id = item.get("id").getStringValue();
        if (!seen.add(id)) {
          problems.add(path + " returned " + id + " a second time in one walk");
        }
      }
      JsonNode cursor = page.get("next_cursor");
      path =
          cursor == null || cursor.isNull()
              ? null
              : first
                  + "&cursor="
                  + URLEncoder.encode(cursor.getStringValue(), StandardCharsets.UTF_8);
    }
    if (!running) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String id : expected) {
      if (!seen.contains(id)) {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          first
              + " missed "
              + missing.size()
              + " rows acknowledged before it began, e.g. "
              + missing.subList(0, Math.min(3, missing.size())));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
