package dev.shardpipe.shardctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestProducer;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * shardctl against a real PostgreSQL and Kafka: a catalog seeded with the default shards eu and us
 * (each its own migrated database), run in-process as {@code bin/shardctl} runs it, checking exit
 * status, stdout and the one-line reasons on stderr.
 */
@ExtendWith(InfrastructureExtension.class)
class ShardctlIT {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final RegionPins PINS =
      RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS);

  private Infrastructure infra;
  private String prefix;
  private String catalogUrl;
  private String topic;
  private CatalogClient client;
  private Catalog catalog;

  /** One run of shardctl. */
  record Run(int status, String out, String err) {}

  @BeforeEach
  void seedACatalogWithTwoShards(Infrastructure infra) throws Exception {
    this.infra = infra;
    prefix = Infrastructure.uniqueName("ctl");
    catalogUrl = withoutParameters(infra.createDatabase(prefix + "_catalog"));
    topic = prefix + ".events";
    infra.kafka().ensureTopic(topic, 16);
    for (String shard : List.of("eu", "us")) {
      infra.createDatabase(prefix + "_" + shard);
      ShardStore store = new ShardStore(dataSource(shardUrl(shard)), shard, topic);
      store.migrate();
      store.ensurePartitions(IntStream.range(0, 16).boxed().toList());
    }
    client =
        CatalogClient.open(
            catalogUrl,
            "postgres",
            "",
            Map.of(
                "shardpipe.database.url-template",
                "jdbc:postgresql://127.0.0.1:"
                    + infra.postgres().port()
                    + "/"
                    + prefix
                    + "_{shard}",
                "micronaut.application.name",
                "shardctl-it"));
    catalog = client.catalog();
    assertThat(client.watcher().awaitLoaded(Duration.ofSeconds(20))).isTrue();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void statusJsonHasTheDocumentedShapeWithRowsOfOwnedPartitionsAndTheLagOfAMove() throws Exception {
    insertTweet("eu", 1);
    insertTweet("eu", 1);
    insertTweet("eu", 2);
    insertTweet("eu", 9); // a stray row of a partition eu does not own: not counted
    insertTweet("us", 9);
    insertFile("us", 12);
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();
    Move move = catalog.startMove(5, c, PINS, false, "test");
    catalog.copied(move.id(), null, 0);
    try (TestProducer producer = new TestProducer(infra, topic)) {
      for (int i = 0; i < 3; i++) {
        producer.sendRaw(5, "k" + i, "{}");
      }
    }

    Run run = shardctl("status", "--json");

    assertThat(run.status()).as(run.err()).isZero();
    JsonNode status = JSON.readValue(run.out(), JsonNode.class);
    assertThat(status.get("version").getLongValue()).isEqualTo(catalog.load().version());
    assertThat(status.get("partitions").getIntValue()).isEqualTo(16);
    JsonNode eu = shard(status, "eu");
    assertThat(names(eu)).containsExactly("name", "url", "region", "state", "partitions", "rows");
    assertThat(eu.get("name").getStringValue()).isEqualTo("eu");
    assertThat(eu.get("url").getStringValue()).isEqualTo(shardUrl("eu"));
    assertThat(eu.get("region").getStringValue()).isEqualTo("europe");
    assertThat(eu.get("state").getStringValue()).isEqualTo("active");
    assertThat(eu.get("partitions").size()).isEqualTo(8);
    assertThat(eu.get("partitions").get(7).getIntValue()).isEqualTo(7);
    assertThat(eu.get("rows").get("tweets").getLongValue()).isEqualTo(3);
    assertThat(eu.get("rows").get("file_metadata").getLongValue()).isZero();
    JsonNode us = shard(status, "us");
    assertThat(us.get("rows").get("tweets").getLongValue()).isEqualTo(1);
    assertThat(us.get("rows").get("file_metadata").getLongValue()).isEqualTo(1);
    JsonNode added = shard(status, c);
    assertThat(added.get("name").getStringValue()).isEqualTo(c);
    assertThat(added.get("partitions").size()).isZero();
    assertThat(added.get("rows").get("tweets").getLongValue()).isZero();
    assertThat(status.get("placement").get("5").getStringValue()).isEqualTo("eu");
    assertThat(status.get("placement").get("15").getStringValue()).isEqualTo("us");
    JsonNode moved = status.get("moves").get(0);
    assertThat(names(moved))
        .containsExactly(
            "id",
            "partition",
            "from",
            "to",
            "state",
            "rows_copied",
            "lag",
            "started_at",
            "finished_at");
    assertThat(moved.get("id").getLongValue()).isEqualTo(move.id());
    assertThat(moved.get("partition").getIntValue()).isEqualTo(5);
    assertThat(moved.get("from").getStringValue()).isEqualTo("eu");
    assertThat(moved.get("to").getStringValue()).isEqualTo(c);
    assertThat(moved.get("state").getStringValue()).isEqualTo("catching_up");
    assertThat(moved.get("rows_copied").getLongValue()).isZero();
    assertThat(moved.get("lag").getLongValue()).isEqualTo(3);
    assertThat(moved.get("started_at").getStringValue()).endsWith("Z");
    assertThat(moved.get("finished_at").isNull()).isTrue();

    Run text = shardctl("status");
    assertThat(text.status()).isZero();
    assertThat(text.out()).contains("SHARD").contains("catching_up").contains("0-7");
  }

  @Test
  void addShardCreatesItsDatabaseBesideTheCatalogWithTheShardTables() {
    String c = Infrastructure.uniqueName("c");

    Run run = shardctl("add-shard", c, "--region", "europe");

    assertThat(run.status()).as(run.err()).isZero();
    String url = "jdbc:postgresql://127.0.0.1:" + infra.postgres().port() + "/shard_" + c;
    assertThat(run.out()).contains("shard " + c + " added at " + url + " in region europe");
    assertThat(catalog.load().shard(c).orElseThrow().url()).isEqualTo(url);
    assertThat(catalog.load().shard(c).orElseThrow().region()).isEqualTo("europe");
    assertThat(
            Sql.number(
                infra.postgres().jdbcUrl("shard_" + c), "SELECT count(*) FROM applied_offsets"))
        .isZero();

    Run again = shardctl("add-shard", c);
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo(
            "shardctl: a shard named " + c + " exists already; shard names are never reused\n");
  }

  @Test
  void addShardWithAUrlMigratesThatDatabase() {
    String d = Infrastructure.uniqueName("d");
    String url = withoutParameters(infra.createDatabase(prefix + "_" + d));

    Run run = shardctl("add-shard", d, "--url", url);

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(Sql.number(url + "?user=postgres", "SELECT count(*) FROM tweets")).isZero();
    assertThat(catalog.load().shard(d).orElseThrow().region()).isNull();
  }

  @Test
  void refusesToRemoveAShardThatHoldsPartitions() {
    Run run = shardctl("remove-shard", "eu");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("shardctl: shard eu still holds partitions 0-7; `shardctl drain eu` first\n");
  }

  @Test
  void removesAnEmptyShard() {
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c).status()).isZero();

    Run run = shardctl("remove-shard", c);

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(catalog.load().shard(c).orElseThrow().state().label()).isEqualTo("removed");
  }

  @Test
  void refusesBadMovesWithOneLineReasons() {
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();
    Move moving = catalog.startMove(3, c, PINS, false, "test");

    assertRefused(
        shardctl("move", "5", "--to", "nope"),
        "there is no shard nope; shards are [" + c + ", eu, us]");
    assertRefused(shardctl("move", "16", "--to", c), "partition 16 is outside 0..15");
    assertRefused(shardctl("move", "-1", "--to", c), "partition -1 is outside 0..15");
    assertRefused(
        shardctl("move", "3", "--to", c),
        "partition 3 is moving (move "
            + moving.id()
            + ", copying); wait or `shardctl abort "
            + moving.id()
            + "`");
    assertRefused(
        shardctl("move", "9", "--to", c),
        "partition 9 is pinned to region usa and shard "
            + c
            + " is in region europe; pass --allow-cross-region to place it there anyway");
    assertRefused(
        shardctl("drain", "us"),
        "shard us is the last active shard of region usa, which partitions 8-15 are pinned to;"
            + " add another shard in that region first");
    String gone = Infrastructure.uniqueName("gone");
    assertThat(shardctl("add-shard", gone, "--region", "europe").status()).isZero();
    assertThat(shardctl("remove-shard", gone).status()).isZero();
    assertRefused(
        shardctl("move", "4", "--to", gone),
        "shard " + gone + " is removed; it takes no partitions");
    assertThat(catalog.load().activeMoves()).extracting(Move::id).containsExactly(moving.id());
  }

  @Test
  void movesAPartitionWithItsRowsAndWaitsUntilTheOldCopyIsDropped() {
    insertTweet("eu", 5);
    insertTweet("eu", 5);
    insertFile("eu", 5);
    insertTweet("eu", 4);
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();

    Run run = shardctl("move", "5", "--to", c, "--wait", "--timeout", "60s");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("partition 5 is on " + c + "; done");
    assertThat(catalog.load().shardOf(5)).isEqualTo(c);
    String target = infra.postgres().jdbcUrl("shard_" + c);
    assertThat(Sql.number(target, "SELECT count(*) FROM tweets WHERE partition = 5")).isEqualTo(2);
    assertThat(Sql.number(target, "SELECT count(*) FROM file_metadata")).isEqualTo(1);
    assertThat(
            Sql.number(
                shardUrl("eu") + "?user=postgres",
                "SELECT count(*) FROM pg_class WHERE relname = 'tweets_p5'"))
        .as("the source's child table of the moved partition is dropped")
        .isZero();
    assertThat(
            Sql.number(
                shardUrl("eu") + "?user=postgres",
                "SELECT count(*) FROM tweets WHERE partition = 4"))
        .isEqualTo(1);
  }

  @Test
  void abortsAMoveThatIsCatchingUpAndDropsTheTargetsCopy() {
    insertTweet("eu", 6);
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();
    Run started = shardctl("move", "6", "--to", c);
    assertThat(started.status()).as(started.err()).isZero();
    Move move = catalog.load().activeMoveOf(6).orElseThrow();
    assertThat(move.state().label()).isEqualTo("catching_up");

    Run run = shardctl("abort", String.valueOf(move.id()));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "move "
                + move.id()
                + " aborted: partition 6 stays on eu; the copy on "
                + c
                + " is dropped\n");
    assertThat(catalog.load().activeMoves()).isEmpty();
    assertThat(catalog.load().shardOf(6)).isEqualTo("eu");
    assertThat(
            Sql.number(
                infra.postgres().jdbcUrl("shard_" + c),
                "SELECT count(*) FROM pg_class WHERE relname = 'tweets_p6'"))
        .isZero();
  }

  @Test
  void resumeCopiesAMoveLeftCopyingAndDrivesItAsFarAsItCan() {
    insertTweet("eu", 7);
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();
    Move left = catalog.startMove(7, c, PINS, false, "test");

    Run run = shardctl("resume");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("move " + left.id() + ": partition 7 eu -> " + c + " is ");
    Move now = catalog.move(left.id()).orElseThrow();
    assertThat(now.rowsCopied()).isEqualTo(1);
    assertThat(now.state().label()).isIn("cleaning", "done");
    assertThat(catalog.load().shardOf(7)).isEqualTo(c);
  }

  @Test
  void addsAShardRebalancesOntoItDrainsItAndRemovesIt() {
    for (int p = 0; p < 8; p++) {
      insertTweet("eu", p);
    }
    String c = Infrastructure.uniqueName("c");
    assertThat(shardctl("add-shard", c, "--region", "europe").status()).isZero();
    long before = catalog.load().version();

    Run dry = shardctl("rebalance", "--dry-run");
    assertThat(dry.status()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("rebalance: 4 moves")
        .contains("partition 4: eu -> " + c)
        .contains("partition 7: eu -> " + c);
    assertThat(catalog.load().version()).as("a dry run changes nothing").isEqualTo(before);

    Run rebalance = shardctl("rebalance", "--wait", "--timeout", "90s");
    assertThat(rebalance.status()).as(rebalance.err()).isZero();
    assertThat(catalog.load().partitionsOf(c)).containsExactly(4, 5, 6, 7);
    assertThat(catalog.load().partitionsOf("eu")).containsExactly(0, 1, 2, 3);
    assertThat(Sql.number(infra.postgres().jdbcUrl("shard_" + c), "SELECT count(*) FROM tweets"))
        .isEqualTo(4);
    assertThat(shardctl("rebalance").out()).contains("nothing to move");

    Run drain = shardctl("drain", c, "--wait", "--timeout", "90s");
    assertThat(drain.status()).as(drain.err()).isZero();
    assertThat(catalog.load().partitionsOf("eu")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(catalog.load().shard(c).orElseThrow().state().label()).isEqualTo("draining");
    assertThat(
            Sql.number(
                shardUrl("eu") + "?user=postgres",
                "SELECT count(*) FROM tweets WHERE partition BETWEEN 0 AND 7"))
        .isEqualTo(8);

    Run remove = shardctl("remove-shard", c);
    assertThat(remove.status()).as(remove.err()).isZero();
    assertThat(catalog.load().shard(c).orElseThrow().state().label()).isEqualTo("removed");
  }

  @Test
  void replaysTheDeadLettersThatAreEventsToTheirPartitionsAndLeavesTheRest() throws Exception {
    String dlq = topic + ".dlq";
    infra.kafka().ensureTopic(dlq, 1);
    TweetEvent tweet = TestEvents.tweet("usa", 77);
    int partition = Routing.defaults().partitionFor(tweet);
    try (TestProducer producer = new TestProducer(infra, dlq)) {
      producer.sendTo(0, tweet);
      producer.sendRaw(0, "usa/78", "{not an event");
    }

    Run dryRun = shardctl("dlq", "replay", "--dlq-topic", dlq, "--dry-run");
    assertThat(dryRun.status()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .startsWith(
            "would publish 1 of 2 dead letters to " + topic + ": partition " + partition + " 1\n")
        .contains("left 1 that still are no event: 1 × ");
    assertThat(endOffset(partition)).as("a dry run publishes nothing").isZero();

    Run replay = shardctl("dlq", "replay", "--dlq-topic", dlq);
    assertThat(replay.status()).as(replay.err()).isZero();
    assertThat(replay.out())
        .startsWith("published 1 of 2 dead letters to " + topic + ": partition " + partition);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition events = new TopicPartition(topic, partition);
      consumer.assign(List.of(events));
      consumer.seekToBeginning(List.of(events));
      ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
      for (int i = 0; i < 20 && records.isEmpty(); i++) {
        records = consumer.poll(Duration.ofMillis(500));
      }
      assertThat(records.count()).isEqualTo(1);
      ConsumerRecord<String, byte[]> record = records.iterator().next();
      assertThat(record.key()).isEqualTo(tweet.shardKey());
      assertThat(new EventCodec(JsonMapper.createDefault()).decode(record.value()).id())
          .isEqualTo(tweet.id());
      assertThat(
              new String(
                  record.headers().lastHeader("shardpipe.replayed-from").value(),
                  StandardCharsets.UTF_8))
          .isEqualTo(dlq + "/0/0");
    }
  }

  private long endOffset(int partition) throws Exception {
    TopicPartition events = new TopicPartition(topic, partition);
    try (Admin admin = infra.kafka().admin()) {
      return admin
          .listOffsets(Map.of(events, OffsetSpec.latest()))
          .partitionResult(events)
          .get()
          .offset();
    }
  }

  @Test
  void answersAUsageErrorWithStatusTwo() {
    assertThat(shardctl("no-such-command").status()).isEqualTo(2);
    assertThat(shardctl("add-shard").status()).isEqualTo(2);
    assertThat(shardctl().status()).isEqualTo(2);
  }

  private static void assertRefused(Run run, String reason) {
    assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("shardctl: " + reason + "\n");
  }

  private Run shardctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 0 && !args[0].equals("no-such-command")) {
      all.addAll(
          List.of(
              "--catalog-url",
              catalogUrl,
              "--user",
              "postgres",
              "--bootstrap-servers",
              infra.kafkaBootstrap(),
              "--topic",
              topic));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ShardctlCommand.execute(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode shard(JsonNode status, String name) {
    for (JsonNode shard : status.get("shards").values()) {
      if (shard.get("name").getStringValue().equals(name)) {
        return shard;
      }
    }
    throw new AssertionError("no shard " + name + " in " + status);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.entries().forEach(e -> names.add(e.getKey()));
    return names;
  }

  private String shardUrl(String shard) {
    return "jdbc:postgresql://127.0.0.1:" + infra.postgres().port() + "/" + prefix + "_" + shard;
  }

  private void insertTweet(String shard, int partition) {
    Sql.rows(
        shardUrl(shard) + "?user=postgres",
        "INSERT INTO tweets (id, location, owner_id, text, occurred_at, partition)"
            + " VALUES (?::uuid, 'europe', 1, 'hi', now(), ?) RETURNING id",
        UUID.randomUUID().toString(),
        partition);
  }

  private void insertFile(String shard, int partition) {
    Sql.rows(
        shardUrl(shard) + "?user=postgres",
        "INSERT INTO file_metadata (id, user_id, file_name, occurred_at, partition)"
            + " VALUES (?::uuid, 1, 'a.txt', now(), ?) RETURNING id",
        UUID.randomUUID().toString(),
        partition);
  }

  private static PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url);
    source.setUser("postgres");
    return source;
  }

  private static String withoutParameters(String url) {
    return url.replaceAll("\\?.*$", "");
  }
}
