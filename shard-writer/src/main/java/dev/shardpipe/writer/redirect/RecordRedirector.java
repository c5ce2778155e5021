package dev.shardpipe.writer.redirect;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.EventHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends dead letters and forwards, and waits until Kafka has acknowledged every one, so that the
 * writer commits an offset past a record only once the record is safe elsewhere. A crash between
 * the acknowledgement and that commit sends the record again after restart: a forwarded event is
 * then applied twice, which changes nothing (docs/contract.md §3), and a dead letter appears twice
 * with the same source headers.
 */
public final class RecordRedirector implements AutoCloseable {

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String dlqTopic;
  private final String shard;

  /**
   * Creates the redirector.
   *
   * @param producer an idempotent producer with {@code acks=all}
   * @param topic the events topic, where forwards go
   * @param dlqTopic the dead-letter topic
   * @param shard this writer's shard, recorded in a header
   */
  public RecordRedirector(
      Producer<byte[], byte[]> producer, String topic, String dlqTopic, String shard) {
    this.producer = producer;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
    this.shard = shard;
  }

  /**
   * Sends every redirect and waits for all acknowledgements.
   *
   * @param redirects dead letters and forwards, in offset order
   * @throws ExecutionException if Kafka refused one; its cause tells whether a retry can succeed
   *     ({@link org.apache.kafka.common.errors.RetriableException})
   * @throws InterruptedException if interrupted while waiting
   */
  public void send(List<Redirect> redirects) throws ExecutionException, InterruptedException {
    if (redirects.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(redirects.size());
    for (Redirect redirect : redirects) {
      acks.add(producer.send(toRecord(redirect)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
  }

  /** Closes the producer, waiting for records in flight. */
  @Override
  public void close() {
    producer.close();
  }

  private ProducerRecord<byte[], byte[]> toRecord(Redirect redirect) {
    ConsumerRecord<byte[], byte[]> source = redirect.record();
    RecordHeaders headers = new RecordHeaders();
    for (Header header : source.headers()) {
      headers.add(header);
    }
    headers.add(EventHeaders.SOURCE_TOPIC, source.topic().getBytes(UTF_8));
    headers.add(
        EventHeaders.SOURCE_PARTITION, Integer.toString(source.partition()).getBytes(UTF_8));
    headers.add(EventHeaders.SOURCE_OFFSET, Long.toString(source.offset()).getBytes(UTF_8));
    headers.add(EventHeaders.SHARD, shard.getBytes(UTF_8));
    if (redirect instanceof Redirect.DeadLetter dead) {
      headers.add(EventHeaders.ERROR, dead.reason().getBytes(UTF_8));
      return new ProducerRecord<>(dlqTopic, null, source.key(), source.value(), headers);
    }
    Redirect.Forward forward = (Redirect.Forward) redirect;
    return new ProducerRecord<>(
        topic, forward.partition(), forward.shardKey().getBytes(UTF_8), source.value(), headers);
  }
}
