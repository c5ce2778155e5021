package dev.shardpipe.writer.redirect;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumed record that is not written to this shard but sent on: to the dead-letter topic when it
 * is not a valid event, or to its routed partition when a producer put it elsewhere
 * (docs/contract.md §3).
 */
public sealed interface Redirect permits Redirect.DeadLetter, Redirect.Forward {

  /**
   * Returns the consumed record.
   *
   * @return the record, bytes unchanged
   */
  ConsumerRecord<byte[], byte[]> record();

  /**
   * A record that is not a valid event.
   *
   * @param record the record
   * @param reason every violation, as {@code field: message; ...}
   */
  record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) implements Redirect {}

  /**
   * A valid event consumed from a partition other than the one it routes to.
   *
   * @param record the record
   * @param shardKey the event's shard key, the forwarded record's key
   * @param partition the partition the event routes to
   */
  record Forward(ConsumerRecord<byte[], byte[]> record, String shardKey, int partition)
      implements Redirect {}
}
