package dev.shardpipe.writer.consume;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.InvalidEventException;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.writer.redirect.Redirect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One poll's records of one partition, sorted into what this shard writes and what it sends on.
 *
 * @param partition the partition
 * @param firstOffset the first record's offset
 * @param nextOffset the offset after the last record: where the partition resumes once this batch
 *     is committed
 * @param events the events to write, reduced to the winning version per id
 * @param redirects dead letters and forwards, in offset order
 * @param records how many records the batch holds
 */
record PartitionBatch(
    int partition,
    long firstOffset,
    long nextOffset,
    List<Event> events,
    List<Redirect> redirects,
    int records) {

  /**
   * Decodes and routes each record. Several versions of one id in a batch are reduced to the one
   * the SPEC 3 rule lets win when applied in offset order: the newest {@code occurred_at}, and on a
   * tie the later record. Applying that one is the same as applying all in order, and one set-based
   * statement may not touch a row twice.
   */
  static PartitionBatch of(
      int partition,
      List<ConsumerRecord<byte[], byte[]>> records,
      EventCodec codec,
      Routing routing) {
    Map<UUID, Event> winners = new LinkedHashMap<>();
    List<Redirect> redirects = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Event event;
      try {
        event = codec.decode(record.value());
      } catch (InvalidEventException e) {
        redirects.add(new Redirect.DeadLetter(record, e.getMessage()));
        continue;
      }
      int routed = routing.partitionFor(event);
      if (routed != partition) {
        redirects.add(new Redirect.Forward(record, event.shardKey(), routed));
        continue;
      }
      winners.merge(
          event.id(),
          event,
          (held, next) -> next.occurredAt().isBefore(held.occurredAt()) ? held : next);
    }
    return new PartitionBatch(
        partition,
        records.get(0).offset(),
        records.get(records.size() - 1).offset() + 1,
        List.copyOf(winners.values()),
        List.copyOf(redirects),
        records.size());
  }

  long deadLetters() {
    return redirects.stream().filter(r -> r instanceof Redirect.DeadLetter).count();
  }

  long forwards() {
    return redirects.size() - deadLetters();
  }
}
