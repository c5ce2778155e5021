package dev.shardpipe.writer.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.writer.redirect.Redirect;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class PartitionBatchTest {

  private static final EventCodec CODEC = new EventCodec(JsonMapper.createDefault());
  private static final Routing ROUTING = Routing.defaults();
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final int PARTITION = ROUTING.partitionForTweet("europe", 1);

  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private void add(int partition, Event event) {
    add(partition, CODEC.encode(event));
  }

  private void add(int partition, byte[] value) {
    records.add(new ConsumerRecord<>("events", partition, 100 + records.size(), null, value));
  }

  @Test
  void keepsTheVersionApplyingInOffsetOrderWouldLeaveAndSortsOutTheRest() {
    UUID id = UUID.randomUUID();
    add(PARTITION, TweetEvent.upsert(id, T.plusSeconds(2), "europe", 1, "newest", 0));
    add(PARTITION, TweetEvent.upsert(id, T, "europe", 1, "older, later", 0));
    add(PARTITION, TweetEvent.upsert(id, T.plusSeconds(2), "europe", 1, "tie, later record", 0));
    add(PARTITION, "not json".getBytes(UTF_8));
    add(PARTITION, TweetEvent.upsert(UUID.randomUUID(), T, "usa", 1, "elsewhere", 0));

    PartitionBatch batch = PartitionBatch.of(PARTITION, records, CODEC, ROUTING);

    assertThat(batch.winners(Set.of()))
        .extracting(v -> ((TweetEvent) v.event()).data().text())
        .containsExactly("tie, later record");
    assertThat(batch.deadLetters()).isEqualTo(1);
    assertThat(batch.forwards()).isEqualTo(1);
    assertThat(batch.redirects().get(1))
        .isInstanceOfSatisfying(
            Redirect.Forward.class,
            f -> assertThat(f.partition()).isEqualTo(ROUTING.partitionForTweet("usa", 1)));
    assertThat(batch.firstOffset()).isEqualTo(100);
    assertThat(batch.nextOffset()).isEqualTo(105);
  }

  @Test
  void letsTheVersionBeforeARefusedOneTakeItsPlace() {
    UUID id = UUID.randomUUID();
    add(PARTITION, TweetEvent.upsert(id, T, "europe", 1, "first", 0));
    add(PARTITION, TweetEvent.upsert(id, T.plusSeconds(1), "europe", 1, "refused", 0));
    PartitionBatch batch = PartitionBatch.of(PARTITION, records, CODEC, ROUTING);

    assertThat(batch.winners(Set.of(101L)))
        .extracting(v -> v.record().offset(), v -> ((TweetEvent) v.event()).data().text())
        .containsExactly(tuple(100L, "first"));
    assertThat(batch.winners(Set.of(100L, 101L))).isEmpty();
  }
}
