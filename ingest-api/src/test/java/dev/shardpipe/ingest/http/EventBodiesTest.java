package dev.shardpipe.ingest.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventBodiesTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final MediaType NDJSON = MediaType.of(EventBodies.NDJSON);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventBodies bodies =
      new EventBodies(
          JsonMapper.createDefault(),
          new IngestMetrics(registry),
          Clock.fixed(NOW, ZoneOffset.UTC),
          200,
          3,
          Duration.ofMinutes(5));
  private final AtomicLong next = new AtomicLong();
  private final EventBodies.ItemReader<TweetEvent> tweets =
      node ->
          EventReader.readTweet(
              node, Op.UPSERT, () -> new UUID(0x0192f1c400007000L, next.incrementAndGet()), NOW);

  @Test
  void readsAJsonArrayAndNdjsonAlikeGeneratingAnIdPerItem() {
    List<TweetEvent> array =
        bodies.batch(
            bytes(
                "[{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"},"
                    + "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"b\"}]"),
            MediaType.APPLICATION_JSON_TYPE,
            EventKind.TWEET,
            tweets);
    List<TweetEvent> lines =
        bodies.batch(
            bytes(
                "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"}\r\n  \n"
                    + "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"b\"}"),
            NDJSON,
            EventKind.TWEET,
            tweets);
    assertThat(array).extracting(e -> e.data().text()).containsExactly("a", "b");
    assertThat(lines).extracting(e -> e.data().text()).containsExactly("a", "b");
    assertThat(array.get(0).id()).isNotEqualTo(array.get(1).id());
  }

  @Test
  void namesEveryBadItemByIndexAndCountsTheWholeBatchAsRejected() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.batch(
                    bytes(
                        "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"}\n"
                            + "{\"owner_id\":\"x\",\"text\":\"b\"}\n"
                            + "{not json\n"),
                    NDJSON,
                    EventKind.TWEET,
                    tweets));
    assertThat(problem.problem().status()).isEqualTo(400);
    assertThat(problem.problem().detail())
        .isEqualTo("2 of 3 tweets are invalid; nothing was published");
    assertThat(problem.problem().errors())
        .containsExactly(
            new Violation("[1].location", "is required"),
            new Violation("[1].owner_id", "must be an integer"),
            new Violation("[2]", "is not valid JSON"));
    assertThat(rejected("tweet", "invalid")).isEqualTo(3);
  }

  @Test
  void refusesMoreItemsThanTheLimitWithoutReadingThem() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () -> bodies.batch(bytes("{}\n{}\n{}\n{}\n{}\n"), NDJSON, EventKind.FILE, tweets));
    assertThat(problem.problem().errors())
        .containsExactly(new Violation("", "must hold 1 to 3 items, was 5"));
  }

  @Test
  void stopsReadingAJsonArrayAtTheFirstItemTooMany() {
    // Millions of items would take a tree of millions of nodes; the answer comes after item 4.
    String zeros = "[" + "0,".repeat(2_000_000) + "0]";
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.batch(
                    bytes(zeros), MediaType.APPLICATION_JSON_TYPE, EventKind.TWEET, tweets));
    assertThat(problem.problem().status()).isEqualTo(400);
    assertThat(problem.problem().errors())
        .containsExactly(new Violation("", "must hold 1 to 3 items, was more than 3"));
    assertThat(rejected("tweet", "invalid")).isEqualTo(4);
  }

  @Test
  void findsEachItemOfAJsonArrayWhateverItsKind() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.batch(
                    bytes(
                        " [ \"a,]\\\"\" , -1.5e3,{\"location\":\"europe\",\"owner_id\":1,"
                            + "\"text\":\"[}\"} ] "),
                    MediaType.APPLICATION_JSON_TYPE,
                    EventKind.TWEET,
                    tweets));
    assertThat(problem.problem().errors())
        .containsExactly(
            new Violation("[0]", "must be a JSON object"),
            new Violation("[1]", "must be a JSON object"));
    assertThat(
            bodies.batch(
                bytes("[{\"location\":\"usa\",\"owner_id\":2,\"text\":\"{[\\\"\"}]"),
                MediaType.APPLICATION_JSON_TYPE,
                EventKind.TWEET,
                tweets))
        .extracting(e -> e.data().text())
        .containsExactly("{[\"");
  }

  @Test
  void refusesAJsonArrayWithTrailingOrBrokenContentAsNotJson() {
    for (String body : List.of("[{}] x", "[{}] [{}]", "[{},", "[{}", "", "[1 2]")) {
      ProblemException problem =
          catchThrowableOfType(
              ProblemException.class,
              () ->
                  bodies.batch(
                      bytes(body), MediaType.APPLICATION_JSON_TYPE, EventKind.TWEET, tweets));
      assertThat(problem.problem().detail()).as(body).isEqualTo("the body is not valid JSON");
    }
  }

  @Test
  void refusesAnOccurredAtFurtherAheadThanMaxFutureNamingTheItem() {
    String ok = "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"b\"";
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.batch(
                    bytes(
                        ok
                            + ",\"occurred_at\":\"2026-11-21T12:05:00Z\"}\n"
                            + ok
                            + ",\"occurred_at\":\"9999-12-31T23:59:59Z\"}\n"),
                    NDJSON,
                    EventKind.TWEET,
                    tweets));
    assertThat(problem.problem().errors())
        .containsExactly(
            new Violation(
                "[1].occurred_at",
                "must be at most 5m ahead of the server's clock (2026-11-21T12:05:00Z), was"
                    + " 9999-12-31T23:59:59Z"));
    ProblemException single =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.single(
                    bytes(ok + ",\"occurred_at\":\"2026-11-21T12:05:00.001Z\"}"),
                    EventKind.TWEET,
                    tweets));
    assertThat(single.problem().errors())
        .extracting(Violation::field)
        .containsExactly("occurred_at");
  }

  @Test
  void refusesABatchThatIsNotAnArray() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                bodies.batch(
                    bytes("{\"location\":\"europe\"}"),
                    MediaType.APPLICATION_JSON_TYPE,
                    EventKind.TWEET,
                    tweets));
    assertThat(problem.problem().errors())
        .containsExactly(new Violation("", "must be a JSON array"));
  }

  @Test
  void answers413ForASingleBodyOverItsLimitAndNamesTheLimit() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class, () -> bodies.single(new byte[201], EventKind.TWEET, tweets));
    assertThat(problem.problem().status()).isEqualTo(413);
    assertThat(problem.problem().extensions()).containsEntry("max_bytes", 200L);
    assertThat(problem.problem().detail())
        .isEqualTo("the body of one tweet is at most 200 bytes, was 201");
    assertThat(rejected("tweet", "too_large")).isEqualTo(1);
  }

  @Test
  void answers400ForASingleBodyThatIsNotJson() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class, () -> bodies.single(bytes("{\"a\":"), EventKind.FILE, tweets));
    assertThat(problem.problem().detail()).isEqualTo("the body is not valid JSON");
  }

  private double rejected(String type, String reason) {
    return registry
        .get(IngestMetrics.REJECTED)
        .tag("type", type)
        .tag("reason", reason)
        .counter()
        .count();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
