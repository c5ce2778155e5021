package dev.shardpipe.writer.consume;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.config.TopicLayout;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.store.AppliedBatch;
import dev.shardpipe.store.RefusedEvent;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.store.SqlErrors;
import dev.shardpipe.writer.config.WriterConfiguration;
import dev.shardpipe.writer.config.WriterShard;
import dev.shardpipe.writer.consume.PartitionBatch.Version;
import dev.shardpipe.writer.metrics.WriterMetrics;
import dev.shardpipe.writer.redirect.RecordRedirector;
import dev.shardpipe.writer.redirect.Redirect;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of one shard (SPEC 8): consumes exactly the partitions placed on it, resumes each from
 * the shard's {@code applied_offsets}, and for every partition of every poll sends dead letters and
 * forwards, then commits the partition's rows and next offset in one transaction.
 *
 * <p>Database and Kafka errors that go away by themselves are retried with capped exponential
 * backoff, holding the same batch: nothing is skipped and nothing is committed until the whole
 * batch succeeds. When PostgreSQL refuses the data itself (SQLSTATE class 22 or 23, which
 * validation should already have prevented), the events responsible are found by bisection, sent to
 * the dead-letter topic with the database's reason, and the rest of the batch is applied. Any other
 * error stops the writer with a message naming shard, partition and offsets; {@link #termination()}
 * then completes exceptionally.
 */
@Context
public final class ShardWriter {

  /** Where the writer is in its life. */
  public enum State {
    /** Checking the topic, migrating the database and reading applied offsets. */
    STARTING,
    /** Consuming and writing. */
    RUNNING,
    /** Waiting to retry a database or Kafka operation that failed. */
    RETRYING,
    /** Stopped on request. */
    STOPPED,
    /** Stopped by an error that retrying cannot fix. */
    FAILED
  }

  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final WriterShard shard;
  private final PipelineConfiguration pipeline;
  private final WriterConfiguration config;
  private final Routing routing;
  private final EventCodec codec;
  private final ShardStore store;
  private final RecordRedirector redirector;
  private final WriterMetrics metrics;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final AdminClient admin;
  private final Thread thread;
  private final ExecutorService partitionWriters;
  private final CompletableFuture<Void> termination = new CompletableFuture<>();

  /**
   * The offset each partition's next commit expects to replace; absent until the partition has one.
   * Each partition is written by one task at a time, and its next task starts only after the loop
   * has seen the previous one end.
   */
  private final Map<Integer, Long> expectedOffsets = new ConcurrentHashMap<>();

  private volatile boolean stopping;
  private volatile boolean failing;
  private volatile State state = State.STARTING;
  private volatile @Nullable String lastError;
  private volatile @Nullable Consumer<byte[], byte[]> consumer;

  ShardWriter(
      WriterShard shard,
      PipelineConfiguration pipeline,
      WriterConfiguration config,
      Routing routing,
      EventCodec codec,
      ShardStore store,
      RecordRedirector redirector,
      WriterMetrics metrics,
      Supplier<Consumer<byte[], byte[]>> consumers,
      AdminClient admin) {
    this.shard = shard;
    this.pipeline = pipeline;
    this.config = config;
    this.routing = routing;
    this.codec = codec;
    this.store = store;
    this.redirector = redirector;
    this.metrics = metrics;
    this.consumers = consumers;
    this.admin = admin;
    this.thread = new Thread(this::run, "shard-writer-" + shard.name());
    AtomicInteger writers = new AtomicInteger();
    this.partitionWriters =
        Executors.newFixedThreadPool(
            config.writeConcurrency(),
            task -> {
              Thread writer =
                  new Thread(
                      task, "shard-writer-" + shard.name() + "-" + writers.incrementAndGet());
              writer.setDaemon(true);
              return writer;
            });
  }

  /**
   * Checks the topic's partition count, then starts the loop on its own thread.
   *
   * @throws IllegalStateException if the topic is missing or has another partition count than P
   * @throws InterruptedException if interrupted while waiting for Kafka
   */
  @PostConstruct
  void start() throws InterruptedException {
    TopicLayout.verify(
        admin, pipeline.topic(), pipeline.partitions(), pipeline.topicCheckTimeout());
    thread.start();
  }

  /**
   * Returns the writer's state, for health checks.
   *
   * @return the state
   */
  public State state() {
    return state;
  }

  /**
   * Returns the shard and its partitions.
   *
   * @return the shard
   */
  public WriterShard shard() {
    return shard;
  }

  /**
   * Returns the last error that made the writer retry or fail.
   *
   * @return the error's description, or null
   */
  public @Nullable String lastError() {
    return lastError;
  }

  /**
   * Completes when the loop ends: normally after {@link #stop()}, exceptionally after a fatal
   * error.
   *
   * @return the future
   */
  public CompletableFuture<Void> termination() {
    return termination;
  }

  /**
   * Stops the loop after the batch in flight, waiting up to the shutdown timeout before
   * interrupting it; an interrupted batch is rolled back and applied again after restart.
   */
  @PreDestroy
  void stop() throws InterruptedException {
    stopping = true;
    Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (state == State.RETRYING) {
      thread.interrupt();
      partitionWriters.shutdownNow();
    }
    thread.join(config.shutdownTimeout().toMillis());
    if (thread.isAlive()) {
      LOG.warn(
          "shard [{}]: batch still in flight after {}, interrupting it",
          shard.name(),
          config.shutdownTimeout());
      thread.interrupt();
      partitionWriters.shutdownNow();
      thread.join(config.shutdownTimeout().toMillis());
    }
    partitionWriters.shutdownNow();
  }

  private void run() {
    try (Consumer<byte[], byte[]> kafka = consumers.get()) {
      consumer = kafka;
      if (stopping) {
        kafka.wakeup();
      }
      retry(
          -1,
          "migrating the schema",
          () -> {
            store.migrate();
            return null;
          });
      Map<Integer, Long> applied =
          retry(-1, "reading applied_offsets", () -> store.appliedOffsets(shard.partitions()));
      assignAndSeek(kafka, applied);
      state = State.RUNNING;
      while (!stopping) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = kafka.poll(config.pollTimeout());
        } catch (OffsetOutOfRangeException e) {
          resumeFromEarliest(kafka, e);
          continue;
        }
        processAll(records);
        updateLag(kafka);
      }
      finish(null);
    } catch (WakeupException e) {
      finish(null);
    } catch (InterruptedException e) {
      finish(stopping ? null : e);
    } catch (RuntimeException | Error e) {
      finish(stopping && e instanceof WriterFailure ? null : e);
    }
  }

  /**
   * Writes the poll's partitions, up to {@code write-concurrency} at a time, each in its own
   * transaction on its own connection, and returns once every one is committed, so that a
   * partition's batches still commit in offset order. Decoding runs in the same tasks, so it
   * overlaps with other partitions' transactions. When one partition fails for good, the others
   * stop retrying and the first failure is thrown.
   */
  private void processAll(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<Future<Void>> tasks = new ArrayList<>(records.partitions().size());
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> batch = notYetApplied(tp, records.records(tp));
      if (batch.isEmpty()) {
        continue;
      }
      tasks.add(
          partitionWriters.submit(
              () -> {
                process(PartitionBatch.of(tp.partition(), batch, codec, routing));
                return null;
              }));
    }
    Throwable failure = null;
    for (Future<Void> task : tasks) {
      try {
        task.get();
      } catch (ExecutionException e) {
        failing = true;
        if (failure == null) {
          failure = e.getCause();
        }
      }
    }
    if (failure instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
  }

  /**
   * Drops records below the partition's applied offset: they are committed already, and applying or
   * forwarding them again would move {@code applied_offsets} back. The consumer only returns them
   * if its position was rewound, which the writer never does on purpose; a guard, not a path.
   */
  private List<ConsumerRecord<byte[], byte[]>> notYetApplied(
      TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
    Long applied = expectedOffsets.get(tp.partition());
    if (applied == null || records.get(0).offset() >= applied) {
      return records;
    }
    List<ConsumerRecord<byte[], byte[]>> fresh =
        records.stream().filter(r -> r.offset() >= applied).toList();
    LOG.warn(
        "shard [{}] partition [{}]: skipped {} records at offsets {}.. below applied offset {},"
            + " already applied",
        shard.name(),
        tp.partition(),
        records.size() - fresh.size(),
        records.get(0).offset(),
        applied);
    return fresh;
  }

  /**
   * After a poll's batches are committed the consumer's position is the applied offset, so the
   * consumer's own lag (its cached end offset minus its position, no request made) is the shard's.
   */
  private void updateLag(Consumer<byte[], byte[]> kafka) {
    for (TopicPartition tp : kafka.assignment()) {
      OptionalLong lag = kafka.currentLag(tp);
      if (lag.isPresent()) {
        metrics.lag(tp.partition(), lag.getAsLong());
      }
    }
  }

  private void finish(@Nullable Throwable failure) {
    if (failure == null) {
      state = State.STOPPED;
      LOG.info("shard [{}]: writer stopped", shard.name());
      termination.complete(null);
    } else {
      state = State.FAILED;
      lastError = failure.toString();
      LOG.error(
          "shard [{}]: writer stopped by an error retrying cannot fix", shard.name(), failure);
      termination.completeExceptionally(failure);
    }
  }

  private void assignAndSeek(Consumer<byte[], byte[]> kafka, Map<Integer, Long> applied) {
    List<TopicPartition> assigned = new ArrayList<>();
    for (int partition : shard.partitions()) {
      assigned.add(new TopicPartition(pipeline.topic(), partition));
    }
    kafka.assign(assigned);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : assigned) {
      Long next = applied.get(tp.partition());
      if (next == null) {
        fromStart.add(tp);
      } else {
        expectedOffsets.put(tp.partition(), next);
        kafka.seek(tp, next);
      }
    }
    // seekToBeginning of no partitions means all of them (KafkaConsumer's contract): it would undo
    // every seek above and re-read each partition from its first offset.
    if (!fromStart.isEmpty()) {
      kafka.seekToBeginning(fromStart);
    }
    LOG.info(
        "shard [{}]: consuming partitions {} of {}, resuming from applied_offsets {}",
        shard.name(),
        shard.partitions(),
        pipeline.topic(),
        applied);
  }

  /**
   * The partition's applied offset is below the log start: retention deleted records before this
   * shard applied them. Nothing can bring them back; the writer says so and goes on from the
   * earliest record still there rather than stopping the partition for good.
   */
  private void resumeFromEarliest(Consumer<byte[], byte[]> kafka, OffsetOutOfRangeException e) {
    e.offsetOutOfRangePartitions()
        .forEach(
            (tp, offset) ->
                LOG.error(
                    "shard [{}] partition [{}]: applied offset {} is no longer in Kafka (deleted"
                        + " by retention before this shard applied it); resuming from the"
                        + " earliest offset",
                    shard.name(),
                    tp.partition(),
                    offset));
    kafka.seekToBeginning(e.offsetOutOfRangePartitions().keySet());
  }

  private void process(PartitionBatch batch) throws InterruptedException {
    int partition = batch.partition();
    String offsets = "offsets " + batch.firstOffset() + ".." + (batch.nextOffset() - 1);
    retry(
        partition,
        "sending dead letters and forwards from " + offsets,
        () -> {
          redirector.send(batch.redirects());
          return null;
        });
    Set<Long> refused = new HashSet<>();
    AppliedBatch applied = null;
    while (applied == null) {
      List<Version> winners = batch.winners(refused);
      List<Event> events = winners.stream().map(Version::event).toList();
      try {
        applied =
            retry(
                partition,
                "committing " + offsets,
                () -> {
                  Timer.Sample sample = metrics.startTransaction();
                  AppliedBatch done =
                      store.apply(
                          partition, events, expectedOffsets.get(partition), batch.nextOffset());
                  metrics.committed(sample, batch.records(), done.rowsWritten());
                  return done;
                });
      } catch (WriterFailure failure) {
        if (!(failure.getCause() instanceof SQLException sql) || !SqlErrors.isDataError(sql)) {
          throw failure;
        }
        List<Redirect> deadLetters = refusedByTheDatabase(batch, offsets, winners, events, failure);
        deadLetters.forEach(dead -> refused.add(dead.record().offset()));
      }
    }
    expectedOffsets.put(partition, batch.nextOffset());
    metrics.redirected(batch.deadLetters(), refused.size(), batch.forwards());
    if (state == State.RETRYING) {
      state = State.RUNNING;
      lastError = null;
    }
    if (batch.deadLetters() > 0 || batch.forwards() > 0 || !refused.isEmpty()) {
      LOG.info(
          "shard [{}] partition [{}] {}: {} dead letters, {} refused by the database, {}"
              + " forwarded",
          shard.name(),
          partition,
          offsets,
          batch.deadLetters(),
          refused.size(),
          batch.forwards());
    }
    LOG.debug(
        "shard [{}] partition [{}] {}: {} records, {} upserts, {} deletes, {} rows written{}",
        shard.name(),
        partition,
        offsets,
        batch.records(),
        applied.upserts(),
        applied.deletes(),
        applied.rowsWritten(),
        applied.alreadyCommitted() ? " (already committed by an earlier attempt)" : "");
  }

  /**
   * PostgreSQL refused the batch's data (SQLSTATE class 22 or 23). Finds the events responsible,
   * sends their records to the dead-letter topic with the database's reason, and returns them so
   * that the rest of the batch is applied without them. An error no single event causes stays
   * fatal.
   */
  private List<Redirect> refusedByTheDatabase(
      PartitionBatch batch,
      String offsets,
      List<Version> winners,
      List<Event> events,
      WriterFailure failure)
      throws InterruptedException {
    int partition = batch.partition();
    List<RefusedEvent> found =
        retry(
            partition,
            "finding the events the database refused in " + offsets,
            () -> store.findRefused(partition, events));
    if (found.isEmpty()) {
      throw failure;
    }
    List<Redirect> deadLetters = new ArrayList<>(found.size());
    for (RefusedEvent refused : found) {
      Version version = winners.get(refused.index());
      LOG.warn(
          "shard [{}] partition [{}] offset [{}]: event {} sent to the dead-letter topic: {}",
          shard.name(),
          partition,
          version.record().offset(),
          version.event().id(),
          refused.reason());
      deadLetters.add(new Redirect.DeadLetter(version.record(), refused.reason()));
    }
    retry(
        partition,
        "sending the events the database refused in " + offsets + " to the dead-letter topic",
        () -> {
          redirector.send(deadLetters);
          return null;
        });
    return deadLetters;
  }

  private <T> T retry(int partition, String what, CheckedSupplier<T> action)
      throws InterruptedException {
    RetryPolicy<T> policy =
        RetryPolicy.<T>builder()
            .handleIf(ShardWriter::isRetriable)
            .withBackoff(config.retryInitialBackoff(), config.retryMaxBackoff())
            .withMaxRetries(-1)
            .abortIf((result, failure) -> stopping || failing)
            .onFailedAttempt(
                event -> {
                  state = State.RETRYING;
                  lastError = event.getLastException().toString();
                })
            .onRetry(
                event ->
                    LOG.warn(
                        "shard [{}] partition [{}]: {} failed, Retry {} (unbounded): {}",
                        shard.name(),
                        partition < 0 ? "-" : partition,
                        what,
                        event.getAttemptCount(),
                        event.getLastException().toString()))
            .build();
    try {
      return Failsafe.with(policy).get(action);
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new WriterFailure(
          "shard ["
              + shard.name()
              + "] partition ["
              + (partition < 0 ? "-" : partition)
              + "]: "
              + what
              + " failed: "
              + e.getCause(),
          e.getCause());
    } catch (RuntimeException e) {
      throw new WriterFailure(
          "shard ["
              + shard.name()
              + "] partition ["
              + (partition < 0 ? "-" : partition)
              + "]: "
              + what
              + " failed: "
              + e,
          e);
    }
  }

  /** An error retrying cannot fix, named by shard, partition and what failed. */
  private static final class WriterFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    WriterFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Retriable are the errors that go away by themselves: Kafka's {@link RetriableException}s and
   * the database errors {@link SqlErrors#isRetriable} names, found anywhere in the cause chain
   * (Flyway and the producer's future wrap them).
   */
  static boolean isRetriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
      if (t instanceof SQLException sql && SqlErrors.isRetriable(sql)) {
        return true;
      }
      if (t instanceof ExecutionException && t.getCause() == null) {
        return false;
      }
    }
    return false;
  }
}
