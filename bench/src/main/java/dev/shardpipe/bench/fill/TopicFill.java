package dev.shardpipe.bench.fill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills a topic with a benchmark's rows before anything reads them: an idempotent {@code acks=all}
 * producer with lz4 batches of 256 KiB, each record to the partition the pipeline routes it to, and
 * every acknowledgement awaited. The writers' topic and the Debezium peer's differ only in the key
 * and the value each record carries.
 */
public final class TopicFill {

  private static final Map<String, Object> PRODUCER =
      Map.of(
          ProducerConfig.ACKS_CONFIG,
          "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          true,
          ProducerConfig.LINGER_MS_CONFIG,
          5,
          ProducerConfig.BATCH_SIZE_CONFIG,
          262_144,
          ProducerConfig.COMPRESSION_TYPE_CONFIG,
          "lz4");

  private TopicFill() {}

  /**
   * The bytes of a record's key or value.
   *
   * @param <E> the row
   */
  @FunctionalInterface
  public interface Encoder<E> {

    /**
     * Encodes a row.
     *
     * @param row the row
     * @param partition the partition it goes to
     * @return its bytes
     */
    byte[] encode(E row, int partition);
  }

  /**
   * Sends every row and waits for all acknowledgements.
   *
   * @param bootstrap the broker's {@code host:port}
   * @param topic the topic, created beforehand
   * @param rows the rows, in order
   * @param partitions each row's partition, in the same order
   * @param key the record key of a row
   * @param value the record value of a row
   * @param <E> the row
   * @return how long sending and acknowledging took
   * @throws IllegalStateException naming the topic if a record is refused
   * @throws InterruptedException if interrupted
   */
  public static <E> Duration produce(
      String bootstrap,
      String topic,
      List<E> rows,
      int[] partitions,
      Encoder<? super E> key,
      Encoder<? super E> value)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>(PRODUCER);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long started = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        E row = rows.get(i);
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    partitions[i],
                    key.encode(row, partitions[i]),
                    value.encode(row, partitions[i]))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("filling " + topic + " failed", e.getCause());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
