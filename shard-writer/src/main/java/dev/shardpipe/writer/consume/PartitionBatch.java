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
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One poll's records of one partition, sorted into what this shard writes and what it sends on.
 *
 * @param partition the partition
 * @param firstOffset the first record's offset
 * @param nextOffset the offset after the last record: where the partition resumes once this batch
 *     is committed
 * @param versions the valid events routed to this partition, in offset order, each with its record
 * @param redirects dead letters and forwards, in offset order
 * @param records how many records the batch holds
 */
record PartitionBatch(
    int partition,
    long firstOffset,
    long nextOffset,
    List<Version> versions,
    List<Redirect> redirects,
    int records) {

  /**
   * A valid event routed to this partition, and the record it came from (sent unchanged to the
   * dead-letter topic if the database refuses the event).
   *
   * @param record the consumed record
   * @param event the decoded event
   */
  record Version(ConsumerRecord<byte[], byte[]> record, Event event) {}

  /** Decodes and routes each record. */
  static PartitionBatch of(
      int partition,
      List<ConsumerRecord<byte[], byte[]>> records,
      EventCodec codec,
      Routing routing) {
    List<Version> versions = new ArrayList<>(records.size());
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
      versions.add(new Version(record, event));
    }
    return new PartitionBatch(
        partition,
        records.get(0).offset(),
        records.get(records.size() - 1).offset() + 1,
        versions,
        List.copyOf(redirects),
        records.size());
  }

  /**
   * Reduces the versions to one per id: the one the docs/contract.md §3 rule lets win when all are
   * applied in offset order, that is the newest {@code occurred_at}, and on a tie the later record.
   * Applying that one is the same as applying all in order, and one set-based statement may not
   * touch a row twice.
   *
   * @param refused offsets of records the database refused; they are left out, so that the version
   *     applying in order would have left takes their place
   * @return the winners, in the order their ids first appear
   */
  List<Version> winners(Set<Long> refused) {
    Map<UUID, Version> winners = new LinkedHashMap<>();
    for (Version version : versions) {
      if (refused.contains(version.record().offset())) {
        continue;
      }
      winners.merge(
          version.event().id(),
          version,
          (held, next) ->
              next.event().occurredAt().isBefore(held.event().occurredAt()) ? held : next);
    }
    return List.copyOf(winners.values());
  }

  long deadLetters() {
    return redirects.stream().filter(r -> r instanceof Redirect.DeadLetter).count();
  }

  long forwards() {
    return redirects.size() - deadLetters();
  }
}
