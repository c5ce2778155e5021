package dev.shardpipe.ingest.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardpipe.core.event.EventReader;
import dev.shardpipe.core.event.EventType;
import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventBodiesTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final MediaType NDJSON = MediaType.of(EventBodies.NDJSON);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventBodies bodies =
      new EventBodies(JsonMapper.createDefault(), new IngestMetrics(registry), 200, 3);
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
            EventType.TWEET,
            tweets);
    List<TweetEvent> lines =
        bodies.batch(
            bytes(
                "{\"location\":\"europe\",\"owner_id\":1,\"text\":\"a\"}\r\n  \n"
                    + "{\"location\":\"usa\",\"owner_id\":2,\"text\":\"b\"}"),
            NDJSON,
            EventType.TWEET,
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
                    EventType.TWEET,
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
            () -> bodies.batch(bytes("{}\n{}\n{}\n{}\n{}\n"), NDJSON, EventType.FILE, tweets));
    assertThat(problem.problem().errors())
        .containsExactly(new Violation("", "must hold 1 to 3 items, was 5"));
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
                    EventType.TWEET,
                    tweets));
    assertThat(problem.problem().errors())
        .containsExactly(new Violation("", "must be a JSON array"));
  }

  @Test
  void answers413ForASingleBodyOverItsLimitAndNamesTheLimit() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class, () -> bodies.single(new byte[201], EventType.TWEET, tweets));
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
            ProblemException.class, () -> bodies.single(bytes("{\"a\":"), EventType.FILE, tweets));
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
