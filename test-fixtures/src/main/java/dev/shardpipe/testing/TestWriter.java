package dev.shardpipe.testing;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A stand-in for a shard's writer in tests of the services around it: consumes some partitions of
 * the events topic on its own thread and hands each polled batch, one partition at a time, to an
 * {@link Applier} (the test passes the shard store's {@code apply}), resuming where the applier
 * says the shard stands. It can be slowed (few records per poll, a pause after each batch), stopped
 * and started again like a real writer, which a test in a module without the writer cannot start.
 */
public final class TestWriter implements AutoCloseable {

  /** Applies one partition's batch, as the shard store does in one transaction. */
  @FunctionalInterface
  public interface Applier {
    /**
     * Applies a batch.
     *
     * @param partition the partition
     * @param events at most one event per id, in offset order
     * @param expectedNextOffset the applied offset before the batch, null when none was applied
     * @param nextOffset the offset after the batch's last record
     * @throws Exception if the batch could not be applied; the writer stops
     */
    void apply(
        int partition, List<Event> events, @Nullable Long expectedNextOffset, long nextOffset)
        throws Exception;
  }

  /** Where the shard stands: a partition's applied next offset, or null when none. */
  @FunctionalInterface
  public interface Resume {
    /**
     * Reads the applied offset.
     *
     * @param partition the partition
     * @return the next offset to apply, or null
     * @throws Exception if it cannot be read
     */
    @Nullable
    Long appliedOffset(int partition) throws Exception;
  }

  private static final EventCodec CODEC = new EventCodec(JsonMapper.createDefault());

  private final Infrastructure infra;
  private final String topic;
  private final Collection<Integer> partitions;
  private final Applier applier;
  private final Resume resume;
  private final int maxPollRecords;
  private final Duration pause;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;
  private @Nullable Thread thread;

  /**
   * Creates a writer; {@link #start} runs it.
   *
   * @param infra the test infrastructure
   * @param topic the events topic
   * @param partitions the partitions it applies
   * @param applier applies a batch
   * @param resume where each partition resumes
   * @param maxPollRecords records per poll, across its partitions
   * @param pause the pause after each poll's batches, to slow it down; zero for none
   */
  public TestWriter(
      Infrastructure infra,
      String topic,
      Collection<Integer> partitions,
      Applier applier,
      Resume resume,
      int maxPollRecords,
      Duration pause) {
    this.infra = infra;
    this.topic = topic;
    this.partitions = List.copyOf(partitions);
    this.applier = applier;
    this.resume = resume;
    this.maxPollRecords = maxPollRecords;
    this.pause = pause;
  }

  /**
   * Starts consuming from where the shard stands.
   *
   * @return this writer
   */
  public synchronized TestWriter start() {
    if (thread != null) {
      return this;
    }
    running = true;
    thread = new Thread(this::run, "test-writer-" + topic);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Stops consuming and waits for the thread; a batch in progress is finished first. */
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  /**
   * Returns what stopped the writer with an error.
   *
   * @return the failure, or null
   */
  public @Nullable Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() {
    stop();
  }

  private void run() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      Map<Integer, Long> applied = new HashMap<>();
      List<TopicPartition> assigned = new ArrayList<>();
      partitions.forEach(p -> assigned.add(new TopicPartition(topic, p)));
      consumer.assign(assigned);
      for (TopicPartition tp : assigned) {
        Long offset = resume.appliedOffset(tp.partition());
        applied.put(tp.partition(), offset);
        consumer.seek(tp, offset == null ? 0 : offset);
      }
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (TopicPartition tp : records.partitions()) {
          Map<UUID, Event> latest = new LinkedHashMap<>();
          long next = 0;
          for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
            Event event = CODEC.decode(record.value());
            latest.remove(event.id());
            latest.put(event.id(), event);
            next = record.offset() + 1;
          }
          applier.apply(
              tp.partition(), List.copyOf(latest.values()), applied.get(tp.partition()), next);
          applied.put(tp.partition(), next);
        }
        if (!records.isEmpty() && !pause.isZero()) {
          Thread.sleep(pause.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failure.set(e);
    }
  }
}
