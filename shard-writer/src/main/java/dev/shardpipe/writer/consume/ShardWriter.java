package dev.shardpipe.writer.consume;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.store.AppliedBatch;
import dev.shardpipe.store.PartitionFencedException;
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
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * The writer of one shard (SPEC 8): consumes exactly the partitions the catalog assigns it, resumes
 * each from the shard's {@code applied_offsets}, and for every partition of every poll sends dead
 * letters and forwards, then commits the partition's rows and next offset in one transaction.
 *
 * <p>The assignment follows the catalog as partitions move (docs/elasticity.md): between polls the
 * writer compares it with the newest catalog snapshot, adds arriving partitions (seeking each to
 * its applied offset) and drops leaving ones, without touching the others. It also runs the move
 * steps that concern its own database: as a move's target it asks for the cutover once caught up
 * and switches the placement once it has applied up to the source's final offset; as a source it
 * fences itself off the partition and, once no reader uses it, drops its old copy. A commit refused
 * because the partition is fenced ({@link PartitionFencedException}) drops the partition instead of
 * stopping the writer.
 *
 * <p>Database and Kafka errors that go away by themselves are retried with capped exponential
 * backoff, holding the same batch: nothing is skipped and nothing is committed until the whole
 * batch succeeds. When PostgreSQL refuses the data itself (SQLSTATE class 22 or 23, which
 * validation should already have prevented), the events responsible are found by bisection, sent to
 * the dead-letter topic with the database's reason, and the rest of the batch is applied. Any other
 * error stops the writer with a message naming shard, partition and offsets; {@link #termination()}
 * then completes exceptionally.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
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
  private final CatalogWatcher catalog;
  private final MoveSteps moves;
  private final ExecutorService cleaner;
  private final Set<Long> cleaning = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private final ExecutorService partitionWriters;
  private final CompletableFuture<Void> termination = new CompletableFuture<>();

  /**
   * The offset each partition's next commit expects to replace; absent until the partition has one.
   * Each partition is written by one task at a time, and its next task starts only after the loop
   * has seen the previous one end.
   */
  private final Map<Integer, Long> expectedOffsets = new ConcurrentHashMap<>();

  /** The partitions the consumer is assigned; the loop thread's own. */
  private final SortedSet<Integer> assignment = new TreeSet<>();

  /**
   * Partitions whose offset row this shard found fenced: they have moved away, or are moving, and
   * are not applied until a newer catalog version brings them back.
   */
  private final Set<Integer> fenced = ConcurrentHashMap.newKeySet();

  private volatile long followedVersion = -1;
  private volatile boolean reassign;
  private volatile List<Integer> assignmentView = List.of();
  private volatile boolean stopping;
  private volatile boolean failing;
  private volatile State state = State.STARTING;
  private volatile @Nullable String lastError;

  /** Partitions held because Kafka deleted records they had not applied, by partition. */
  private final Map<Integer, DataLoss> dataLoss = new ConcurrentHashMap<>();

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
      CatalogWatcher catalog,
      MoveSteps moves) {
    this.shard = shard;
    this.pipeline = pipeline;
    this.config = config;
    this.routing = routing;
    this.codec = codec;
    this.store = store;
    this.redirector = redirector;
    this.metrics = metrics;
    this.consumers = consumers;
    this.catalog = catalog;
    this.moves = moves;
    this.thread = new Thread(this::run, "shard-writer-" + shard.name());
    this.cleaner =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "shard-writer-" + shard.name() + "-cleaner");
              t.setDaemon(true);
              return t;
            });
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
   * Starts the loop on its own thread; the topic's partition count was checked when the shard was
   * resolved.
   */
  @PostConstruct
  void start() {
    catalog.addListener(this::catalogChanged);
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
   * Returns the partitions the writer applies now.
   *
   * @return the partitions, ascending
   */
  public List<Integer> assignment() {
    return assignmentView;
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
   * A partition held because Kafka no longer has records it had not applied.
   *
   * @param appliedOffset the next offset this shard would apply
   * @param logStartOffset the oldest offset Kafka still has; {@code logStartOffset - appliedOffset}
   *     records are lost
   */
  @Serdeable
  public record DataLoss(long appliedOffset, long logStartOffset) {}

  /**
   * Returns the partitions held because retention deleted records before this shard applied them;
   * empty unless that happened and {@code accept-data-loss} is off.
   *
   * @return the held partitions and their gaps, by partition
   */
  public Map<Integer, DataLoss> dataLoss() {
    return Map.copyOf(dataLoss);
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
    cleaner.shutdownNow();
  }

  /**
   * A new catalog version: wake the loop from its poll, so that an assignment change or a move step
   * is acted on at once rather than after the poll's timeout.
   */
  private void catalogChanged(CatalogSnapshot snapshot) {
    if (snapshot.version() != followedVersion) {
      reassign = true;
      Consumer<byte[], byte[]> current = consumer;
      if (current != null) {
        current.wakeup();
      }
    }
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
      state = State.RUNNING;
      while (!stopping) {
        if (reassign || catalog.current().version() != followedVersion) {
          follow(kafka, catalog.current());
        }
        if (assignment.isEmpty()) {
          idle();
        } else {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = kafka.poll(config.pollTimeout());
          } catch (OffsetOutOfRangeException e) {
            onDeletedOffsets(kafka, e);
            continue;
          } catch (WakeupException e) {
            if (stopping) {
              break;
            }
            continue;
          }
          processAll(records);
          updateLag(kafka);
        }
        takePart(kafka, catalog.current());
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

  /**
   * Brings the consumer's assignment to what the catalog gives this shard now. Partitions that stay
   * keep their positions (KafkaConsumer#assign keeps the state of partitions assigned before);
   * arriving ones are sought to their applied offset, or to the beginning when the shard has
   * applied nothing of them; leaving ones are forgotten. A partition found fenced here is left out
   * until a newer catalog version: a move away from this shard has fenced it.
   */
  private void follow(Consumer<byte[], byte[]> kafka, CatalogSnapshot snapshot)
      throws InterruptedException {
    reassign = false;
    if (snapshot.version() != followedVersion) {
      fenced.clear();
    }
    SortedSet<Integer> desired = new TreeSet<>(snapshot.assignmentOf(shard.name()));
    desired.removeAll(fenced);
    SortedSet<Integer> arriving = new TreeSet<>(desired);
    arriving.removeAll(assignment);
    SortedSet<Integer> leaving = new TreeSet<>(assignment);
    leaving.removeAll(desired);
    Map<Integer, Long> applied =
        arriving.isEmpty()
            ? Map.of()
            : retry(-1, "reading applied_offsets", () -> store.appliedOffsets(arriving));
    if (!arriving.isEmpty()) {
      // Every partition this shard applies has its child tables from the start, written to or
      // not, so that readers of the whole partition (SQL over every shard) never miss a table.
      retry(
          -1,
          "creating the child tables of " + arriving,
          () -> {
            store.ensurePartitions(arriving);
            return null;
          });
    }
    List<TopicPartition> assigned = new ArrayList<>();
    for (int partition : desired) {
      assigned.add(new TopicPartition(pipeline.topic(), partition));
    }
    kafka.assign(assigned);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (int partition : arriving) {
      TopicPartition tp = new TopicPartition(pipeline.topic(), partition);
      Long next = applied.get(partition);
      if (next == null) {
        expectedOffsets.remove(partition);
        fromStart.add(tp);
      } else {
        expectedOffsets.put(partition, next);
        kafka.seek(tp, next);
      }
    }
    // seekToBeginning of no partitions means all of them (KafkaConsumer's contract): it would undo
    // every seek above and re-read each partition from its first offset.
    if (!fromStart.isEmpty()) {
      kafka.seekToBeginning(fromStart);
    }
    for (int partition : leaving) {
      expectedOffsets.remove(partition);
      metrics.forget(partition);
      if (dataLoss.remove(partition) != null) {
        metrics.dataLoss(partition, 0);
      }
    }
    List<TopicPartition> held = new ArrayList<>();
    for (int partition : dataLoss.keySet()) {
      held.add(new TopicPartition(pipeline.topic(), partition));
    }
    if (!held.isEmpty()) {
      kafka.pause(held);
    }
    assignment.clear();
    assignment.addAll(desired);
    assignmentView = List.copyOf(desired);
    followedVersion = snapshot.version();
    if (!arriving.isEmpty() || !leaving.isEmpty() || followedVersion >= 0) {
      LOG.info(
          "shard [{}]: catalog version {}: applying partitions {} of {}{}{}",
          shard.name(),
          snapshot.version(),
          desired,
          pipeline.topic(),
          arriving.isEmpty() ? "" : "; added " + arriving + " from applied_offsets " + applied,
          leaving.isEmpty() ? "" : "; dropped " + leaving);
    }
  }

  /** Nothing assigned: wait as long as a poll would, or until the catalog changes. */
  private void idle() throws InterruptedException {
    long until = System.nanoTime() + config.pollTimeout().toNanos();
    while (!stopping && !reassign && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }

  /**
   * Runs the move steps that concern this shard's own database, as the catalog snapshot shows them.
   * Each step is idempotent and changes the catalog only when its condition holds, so running them
   * after every poll is cheap; a step that fails is logged and tried again after the next poll.
   * Dropping an old copy may wait for readers and locks, so it runs on its own thread.
   */
  private void takePart(Consumer<byte[], byte[]> kafka, CatalogSnapshot snapshot) {
    if (!catalog.connected() || snapshot.activeMoves().isEmpty()) {
      return;
    }
    boolean changed = false;
    for (Move move : snapshot.activeMoves()) {
      try {
        Move after = move;
        if (move.to().equals(shard.name())) {
          if (move.state() == MoveState.CATCHING_UP && assignment.contains(move.partition())) {
            OptionalLong lag =
                kafka.currentLag(new TopicPartition(pipeline.topic(), move.partition()));
            if (lag.isPresent()) {
              after = moves.requestCutoverIfCaughtUp(move, lag.getAsLong(), config.cutoverLag());
            }
          } else if (move.state() == MoveState.CUTOVER && move.finalOffset() != null) {
            Long applied = expectedOffsets.get(move.partition());
            after = moves.switchIfCaughtUp(move, applied == null ? 0L : applied);
          }
        } else if (move.from().equals(shard.name())) {
          if (move.state() == MoveState.CUTOVER && move.finalOffset() == null) {
            after = moves.fenceSource(move);
          } else if (move.state() == MoveState.CLEANING && cleaning.add(move.id())) {
            cleaner.execute(() -> clean(move));
          }
        }
        changed |=
            after.state() != move.state()
                || !Objects.equals(after.finalOffset(), move.finalOffset());
      } catch (SQLException | RuntimeException e) {
        LOG.warn(
            "shard [{}] partition [{}]: move [{}] step in state {} failed, tried again after the"
                + " next poll: {}",
            shard.name(),
            move.partition(),
            move.id(),
            move.state().label(),
            e.toString());
      }
    }
    if (changed) {
      reassign = true;
      try {
        catalog.refresh();
      } catch (RuntimeException e) {
        LOG.debug("shard [{}]: reading the catalog after a move step failed", shard.name(), e);
      }
    }
  }

  /** Drops a moved partition's old copy here once no reader uses it, trying every second. */
  private void clean(Move move) {
    try {
      Move now = move;
      while (!stopping && now.state() == MoveState.CLEANING) {
        now = moves.cleanIfUnread(now);
        if (now.state() == MoveState.CLEANING) {
          Thread.sleep(1_000);
          now = catalog.current().activeMoveOf(move.partition()).orElse(now);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "shard [{}] partition [{}]: dropping the old copy of move [{}] failed, tried again"
              + " later: {}",
          shard.name(),
          move.partition(),
          move.id(),
          e.toString());
    } finally {
      cleaning.remove(move.id());
    }
  }

  /**
   * A partition's applied offset is no longer in Kafka: retention deleted records before this shard
   * applied them (or the topic was recreated). Nothing can bring them back. Unless {@code
   * accept-data-loss} is set, the partition is paused and held, with the gap in {@code /health} and
   * a gauge, while the others go on; with it, the writer logs the gap and goes on from the oldest
   * record still there.
   */
  private void onDeletedOffsets(Consumer<byte[], byte[]> kafka, OffsetOutOfRangeException e) {
    Map<TopicPartition, Long> logStart =
        kafka.beginningOffsets(e.offsetOutOfRangePartitions().keySet());
    for (Map.Entry<TopicPartition, Long> out : e.offsetOutOfRangePartitions().entrySet()) {
      TopicPartition tp = out.getKey();
      long applied = out.getValue();
      long start = logStart.getOrDefault(tp, 0L);
      long lost = Math.max(0, start - applied);
      metrics.dataLoss(tp.partition(), lost);
      if (config.acceptDataLoss()) {
        LOG.error(
            "shard [{}] partition [{}]: applied offset {} is no longer in Kafka; going on from"
                + " offset {} as accept-data-loss allows: {} records are lost to this shard",
            shard.name(),
            tp.partition(),
            applied,
            start,
            lost);
        kafka.seek(tp, start);
      } else {
        dataLoss.put(tp.partition(), new DataLoss(applied, start));
        kafka.pause(List.of(tp));
        LOG.error(
            "shard [{}] partition [{}]: applied offset {} is no longer in Kafka (the log starts at"
                + " {}: retention deleted {} records before this shard applied them); the"
                + " partition is held. Restore the records, or restart the writer with"
                + " --accept-data-loss to go on without them",
            shard.name(),
            tp.partition(),
            applied,
            start,
            lost);
      }
    }
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
        if (failure.getCause() instanceof PartitionFencedException fence) {
          leave(batch, fence);
          return;
        }
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
   * The partition is fenced on this shard: a move has taken it (or is taking it) to another shard,
   * and its target applies it from here on. The batch is dropped uncommitted and so is the
   * partition, from the next turn of the loop on.
   */
  private void leave(PartitionBatch batch, PartitionFencedException fence) {
    fenced.add(batch.partition());
    reassign = true;
    LOG.info(
        "shard [{}] partition [{}]: fenced at offset {}, the partition has moved to another shard;"
            + " dropping it and its batch at offsets {}..{}",
        shard.name(),
        batch.partition(),
        fence.fencedOffset(),
        batch.firstOffset(),
        batch.nextOffset() - 1);
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
