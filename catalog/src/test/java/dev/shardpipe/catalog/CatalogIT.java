package dev.shardpipe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class CatalogIT {

  private static final RegionPins PINS =
      RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS);

  private CatalogClient client;
  private Catalog catalog;

  @BeforeEach
  void seedAnEmptyCatalog(Infrastructure infra) throws InterruptedException {
    String name = Infrastructure.uniqueName("catalog");
    String url = infra.createDatabase(name);
    client =
        CatalogClient.open(
            url.replaceAll("\\?.*$", ""),
            "postgres",
            "",
            Map.of(
                "shardpipe.database.url-template",
                "jdbc:postgresql://127.0.0.1:" + infra.postgres().port() + "/shard_{shard}",
                "micronaut.application.name",
                "catalog-it"));
    catalog = client.catalog();
    assertThat(client.watcher().awaitLoaded(Duration.ofSeconds(20))).isTrue();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void seedsTheDefaultPlacementOnceAtVersionOne() {
    CatalogSnapshot snapshot = catalog.load();

    assertThat(snapshot.version()).isEqualTo(1);
    assertThat(snapshot.partitions()).isEqualTo(16);
    assertThat(snapshot.partitionsOf("eu")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(snapshot.shard("us").orElseThrow().region()).isEqualTo("usa");
    assertThat(snapshot.shard("eu").orElseThrow().url()).endsWith("/shard_eu");
    assertThat(
            catalog
                .seedIfEmpty(
                    dev.shardpipe.core.placement.Placement.parse(16, "eu=0-15"),
                    Map.of("eu", "jdbc:postgresql://x/y"),
                    Map.of(),
                    "test")
                .version())
        .as("a seeded catalog is not seeded again")
        .isEqualTo(1);
  }

  @Test
  void walksAMoveThroughItsStatesAndSwitchesPlacementInOneVersion() {
    catalog.addShard("c", "jdbc:postgresql://127.0.0.1/shard_c", "europe", "test");
    Move move = catalog.startMove(5, "c", PINS, false, "test");
    assertThat(move.state()).isEqualTo(MoveState.COPYING);
    assertThat(catalog.load().assignmentOf("c")).isEmpty();

    catalog.copied(move.id(), 42L, 1000);
    assertThat(catalog.load().assignmentOf("c")).containsExactly(5);
    assertThat(catalog.load().assignmentOf("eu")).contains(5);

    catalog.requestCutover(move.id());
    assertThat(catalog.load().assignmentOf("eu")).doesNotContain(5);
    Move fenced = catalog.fenced(move.id(), 77);
    assertThat(catalog.fenced(move.id(), 99).finalOffset())
        .as("the first final offset recorded stands")
        .isEqualTo(77);
    assertThat(fenced.finalOffset()).isEqualTo(77);

    long before = catalog.load().version();
    Move switched = catalog.switchPlacement(move.id());
    CatalogSnapshot after = catalog.load();
    assertThat(switched.state()).isEqualTo(MoveState.CLEANING);
    assertThat(switched.cutoverVersion()).isEqualTo(after.version()).isGreaterThan(before);
    assertThat(after.shardOf(5)).isEqualTo("c");
    assertThat(after.assignmentOf("c")).containsExactly(5);
    assertThat(after.assignmentOf("eu")).doesNotContain(5);
    assertThat(catalog.switchPlacement(move.id()).state())
        .as("a second switch changes nothing")
        .isEqualTo(MoveState.CLEANING);

    assertThat(catalog.finish(move.id()).state()).isEqualTo(MoveState.DONE);
    assertThat(catalog.load().activeMoves()).isEmpty();
  }

  @Test
  void refusesBadCommandsWithOneLineReasons() {
    catalog.addShard("c", "jdbc:postgresql://127.0.0.1/shard_c", "europe", "test");
    Move move = catalog.startMove(3, "c", PINS, false, "test");

    assertThatThrownBy(() -> catalog.startMove(3, "c", PINS, false, "test"))
        .isInstanceOf(CatalogRefusedException.class)
        .hasMessage(
            "partition 3 is moving (move "
                + move.id()
                + ", copying); wait or `shardctl abort "
                + move.id()
                + "`");
    assertThatThrownBy(() -> catalog.startMove(16, "c", PINS, false, "test"))
        .hasMessage("partition 16 is outside 0..15");
    assertThatThrownBy(() -> catalog.startMove(4, "nope", PINS, false, "test"))
        .hasMessageStartingWith("there is no shard nope");
    assertThatThrownBy(() -> catalog.startMove(4, "us", PINS, false, "test"))
        .hasMessage(
            "partition 4 is pinned to region europe and shard us is in region usa; pass"
                + " --allow-cross-region to place it there anyway");
    assertThat(catalog.startMove(4, "us", PINS, true, "test").to()).isEqualTo("us");
    assertThatThrownBy(() -> catalog.removeShard("eu", "test"))
        .hasMessage("shard eu still holds partitions 0-7; `shardctl drain eu` first");
    assertThatThrownBy(() -> catalog.drain("us", PINS, "test"))
        .hasMessage(
            "shard us is the last active shard of region usa, which partitions 8-15 are pinned"
                + " to; add another shard in that region first");
    assertThatThrownBy(() -> catalog.addShard("c", "jdbc:postgresql://h/d", null, "test"))
        .hasMessage("a shard named c exists already; shard names are never reused");

    assertThat(catalog.abort(move.id(), "test").state()).isEqualTo(MoveState.ABORTED);
    assertThat(catalog.load().shardOf(3)).isEqualTo("eu");
  }

  @Test
  void watcherSeesEachChangeWithinOneSecond() {
    List<Long> versions = new CopyOnWriteArrayList<>();
    client.watcher().addListener(s -> versions.add(s.version()));
    long before = client.watcher().current().version();

    catalog.addShard("d", "jdbc:postgresql://127.0.0.1/shard_d", null, "test");

    Awaitility.await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> client.watcher().current().version() > before);
    assertThat(client.watcher().current().shards()).contains("d");
    assertThat(versions).contains(before + 1);
    assertThat(client.watcher().connected()).isTrue();
  }

  @Test
  void readersHoldBackCleaningUntilTheyUseTheNewVersion() {
    catalog.readerSeen("query-1", 3);
    assertThat(catalog.readersAtLeast(4, Duration.ofSeconds(10))).isFalse();
    catalog.readerSeen("query-1", 4);
    assertThat(catalog.readersAtLeast(4, Duration.ofSeconds(10))).isTrue();
  }
}
