package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A steady load of tweets and files posted in batches to ingest-api, plus a few tweets produced
 * straight to a wrong partition, with every acknowledged event kept as the ground truth. Bounded:
 * it stops after {@code maxRun} whatever happens.
 */
final class ElasticLoad implements AutoCloseable {

  /** An acknowledged event: where it went, and when the acknowledgement came. */
  record Ack(
      String id,
      String table,
      String location,
      long owner,
      int partition,
      long offset,
      long ackNanos) {}

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Routing ROUTING = Routing.defaults();
  private static final String[] LOCATIONS = {"europe", "usa", "asia"};
  private static final int TICK_MILLIS = 50;
  private static final int ATTEMPTS = 5;

  private final String ingest;
  private final HttpClient http = HttpClient.newHttpClient();
  private final KafkaProducer<byte[], byte[]> producer;
  private final String bootstrap;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private final Semaphore inFlight = new Semaphore(16);
  private final Map<String, Ack> acks = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Consumer<Ack>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final String authorization;
  private final int tweetsPerTick;
  private final int filesPerTick;

  private ElasticLoad(String ingest, String token, String bootstrap, int eventsPerSecond) {
    this.ingest = ingest;
    this.authorization = "Bearer " + token;
    this.bootstrap = bootstrap;
    int perTick = eventsPerSecond * TICK_MILLIS / 1000;
    this.tweetsPerTick = perTick * 3 / 5;
    this.filesPerTick = perTick - tweetsPerTick;
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Starts sending to ingest-api with an admin token, which also reads /stats. */
  static ElasticLoad start(
      String ingest, String token, String bootstrap, int eventsPerSecond, Duration maxRun) {
    ElasticLoad load = new ElasticLoad(ingest, token, bootstrap, eventsPerSecond);
    load.ticks.scheduleAtFixedRate(load::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    load.ticks.schedule(load::stopSending, maxRun.toMillis(), TimeUnit.MILLISECONDS);
    return load;
  }

  void onAck(Consumer<Ack> listener) {
    listeners.add(listener);
  }

  long acknowledged() {
    return acks.size();
  }

  Map<String, Ack> acks() {
    return acks;
  }

  List<String> failures() {
    return failures;
  }

  void stopSending() {
    sending.set(false);
  }

  private void tick() {
    if (!sending.get()) {
      return;
    }
    post("/tweets/batch", "tweets", tweets());
    post("/files/batch", "file_metadata", files());
    misroute();
  }

  private List<Map<String, Object>> tweets() {
    List<Map<String, Object>> items = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < tweetsPerTick; i++) {
      Map<String, Object> tweet = new HashMap<>();
      tweet.put("id", UUID.randomUUID().toString());
      tweet.put("location", LOCATIONS[random.nextInt(LOCATIONS.length)]);
      tweet.put("owner_id", (long) random.nextInt(1, 41));
      tweet.put("text", "elastic " + i);
      items.add(tweet);
    }
    return items;
  }

  private List<Map<String, Object>> files() {
    List<Map<String, Object>> items = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < filesPerTick; i++) {
      Map<String, Object> file = new HashMap<>();
      file.put("id", UUID.randomUUID().toString());
      file.put("user_id", (long) random.nextInt(1, 201));
      file.put("file_name", "f/" + i);
      items.add(file);
    }
    return items;
  }

  private void post(String path, String table, List<Map<String, Object>> items) {
    if (!inFlight.tryAcquire()) {
      return;
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(items);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    send(path, table, items, body, 1);
  }

  private void send(
      String path, String table, List<Map<String, Object>> items, byte[] body, int attempt) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(ingest + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    http.sendAsync(request, BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() == 202) {
                inFlight.release();
                accepted(table, items, response);
              } else if (attempt < ATTEMPTS) {
                ticks.schedule(
                    () -> send(path, table, items, body, attempt + 1), 500, TimeUnit.MILLISECONDS);
              } else {
                inFlight.release();
                failures.add(
                    path
                        + ": "
                        + (error != null ? error : response.statusCode() + " " + response.body()));
              }
            });
  }

  private void accepted(String table, List<Map<String, Object>> items, HttpResponse<String> r) {
    long now = System.nanoTime();
    try {
      JsonNode results = JSON.readValue(r.body(), JsonNode.class).get("results");
      for (int i = 0; i < items.size(); i++) {
        JsonNode result = results.get(i);
        Map<String, Object> item = items.get(i);
        Ack ack =
            new Ack(
                result.get("id").getStringValue(),
                table,
                (String) item.get("location"),
                item.containsKey("owner_id") ? (Long) item.get("owner_id") : -1,
                result.get("partition").getIntValue(),
                result.get("offset").getLongValue(),
                now);
        acks.put(ack.id(), ack);
        listeners.forEach(l -> l.accept(ack));
      }
    } catch (java.io.IOException | RuntimeException e) {
      failures.add("unreadable 202: " + e);
    }
  }

  /** Two tweets a tick go straight to a partition they do not route to; a writer forwards them. */
  private void misroute() {
    for (int i = 0; i < 2; i++) {
      String id = UUID.randomUUID().toString();
      long owner = ThreadLocalRandom.current().nextInt(1, 41);
      int routed = ROUTING.partitionForTweet("usa", owner);
      int wrong = (routed + 1) % ROUTING.partitions();
      String envelope =
          "{\"type\":\"tweet\",\"op\":\"upsert\",\"id\":\""
              + id
              + "\",\"occurred_at\":\""
              + Instant.now()
              + "\",\"data\":{\"location\":\"usa\",\"owner_id\":"
              + owner
              + ",\"text\":\"misrouted\",\"like_count\":0}}";
      producer.send(
          new ProducerRecord<>(
              "ingest.events", wrong, ("usa/" + owner).getBytes(UTF_8), envelope.getBytes(UTF_8)),
          (metadata, error) -> {
            if (error == null) {
              acks.put(id, new Ack(id, "tweets", "usa", owner, routed, -1, System.nanoTime()));
            } else {
              failures.add("misrouted produce: " + error);
            }
          });
    }
  }

  /** Ids acknowledged, by table. */
  Map<String, Set<String>> idsByTable() {
    Map<String, Set<String>> ids = new HashMap<>();
    ids.put("tweets", new HashSet<>());
    ids.put("file_metadata", new HashSet<>());
    acks.values().forEach(a -> ids.get(a.table()).add(a.id()));
    return ids;
  }

  /** Whether every partition's owner has applied up to the end of the partition, twice in a row. */
  boolean caughtUp(Devstack devstack, CatalogSnapshot placement) throws Exception {
    if (!ticks.isShutdown() && inFlight.availablePermits() < 16) {
      return false;
    }
    Map<Integer, Long> ends = endOffsets();
    Map<Integer, Long> applied = FreshnessWatch.appliedByOwner(devstack, placement);
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      if (applied.getOrDefault(end.getKey(), 0L) < end.getValue()) {
        return false;
      }
    }
    return ends.equals(endOffsets());
  }

  private Map<Integer, Long> endOffsets() throws Exception {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(config)) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < ROUTING.partitions(); p++) {
        request.put(new TopicPartition("ingest.events", p), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    }
  }

  /** The row totals /stats reports. */
  Map<String, Long> statsTotals(String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(query + "/stats"))
                .header("Authorization", authorization)
                .GET()
                .build(),
            BodyHandlers.ofString());
    JsonNode rows = JSON.readValue(response.body(), JsonNode.class).get("totals").get("rows");
    return Map.of(
        "tweets", rows.get("tweets").getLongValue(),
        "file_metadata", rows.get("file_metadata").getLongValue());
  }

  @Override
  public void close() {
    stopSending();
    ticks.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
