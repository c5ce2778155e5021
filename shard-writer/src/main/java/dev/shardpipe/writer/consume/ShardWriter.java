package dev.shardpipe.writer.consume;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.move.MoveSteps;
import dev.shardpipe.store.PartitionFencedException;
import dev.shardpipe.store.ShardSink;
import dev.shardpipe.writer.config.WriterConfiguration;
import dev.shardpipe.writer.config.WriterShard;
import dev.shardpipe.writer.metrics.WriterMetrics;
import dev.shardpipe.writer.redirect.RecordRedirector;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of one shard (docs/contract.md §8): consumes exactly the partitions the catalog
 * assigns it, resumes each from the shard's {@code applied_offsets}, and for every partition of
 * every poll sends dead letters and forwards, then commits the partition's rows and next offset in
 * one transaction.
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
 *
 * <p>This class owns the thread and the loop; each decision lives in a piece of its own
 * (docs/architecture.md, "The writer's pieces"): {@link PartitionAssignment} follows the catalog,
 * {@link DataLossGuard} holds partitions whose records retention deleted, {@link PollWriter} and
 * {@link BatchApplier} write a poll (redirect, apply, bisect), {@link Retrier} retries, and {@link
 * MoveStepRunner} runs the move steps. The store is a {@link ShardSink}.
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
  private final WriterConfiguration config;
  private final ShardSink store;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final CatalogView catalog;
  private final LoopState loop = new LoopState();
  private final Retrier retrier;
  private final DataLossGuard dataLoss;
  private final PartitionAssignment assignment;
  private final PollWriter pollWriter;
  private final MoveDuty moves;
  private final Thread thread;
  private final CompletableFuture<Void> termination = new CompletableFuture<>();

  private volatile @Nullable Consumer<byte[], byte[]> consumer;

  @Inject
  ShardWriter(
      WriterShard shard,
      PipelineConfiguration pipeline,
      WriterConfiguration config,
      Routing routing,
      EventCodec codec,
      ShardSink store,
      RecordRedirector redirector,
      WriterMetrics metrics,
      Supplier<Consumer<byte[], byte[]>> consumers,
      CatalogWatcher catalog,
      MoveSteps moves) {
    this(
        shard,
        pipeline,
        config,
        routing,
        codec,
        store,
        redirector,
        metrics,
        consumers,
        CatalogView.of(catalog),
        (loop, assignment, positions) ->
            new MoveStepRunner(
                shard.name(),
                pipeline.topic(),
                config.cutoverLag(),
                CatalogView.of(catalog),
                moves,
                loop,
                assignment,
                positions));
  }

  ShardWriter(
      WriterShard shard,
      PipelineConfiguration pipeline,
      WriterConfiguration config,
      Routing routing,
      EventCodec codec,
      ShardSink store,
      RecordRedirector redirector,
      WriterMetrics metrics,
      Supplier<Consumer<byte[], byte[]>> consumers,
      CatalogView catalog,
      MoveDuty.Factory moves) {
    this.shard = shard;
    this.config = config;
    this.store = store;
    this.consumers = consumers;
    this.catalog = catalog;
    this.retrier =
        new Retrier(
            shard.name(),
            config.retryInitialBackoff(),
            config.retryMaxBackoff(),
            loop::givingUp,
            loop::retrying);
    AppliedPositions positions = new AppliedPositions();
    this.dataLoss = new DataLossGuard(shard.name(), pipeline.topic(), config, metrics);
    this.assignment =
        new PartitionAssignment(
            shard.name(), pipeline.topic(), store, retrier, positions, dataLoss, metrics);
    BatchApplier applier =
        new BatchApplier(
            shard.name(), store, redirector, metrics, retrier, positions, assignment, loop);
    this.pollWriter =
        new PollWriter(
            shard.name(),
            config.writeConcurrency(),
            codec,
            routing,
            applier,
            positions,
            metrics,
            loop);
    this.moves = moves.create(loop, assignment, positions);
    this.thread = new Thread(this::run, "shard-writer-" + shard.name());
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
    return loop.state();
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
    return assignment.view();
  }

  /**
   * Returns the last error that made the writer retry or fail.
   *
   * @return the error's description, or null
   */
  public @Nullable String lastError() {
    return loop.lastError();
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
    return dataLoss.held();
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
    loop.stop();
    Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (loop.state() == State.RETRYING) {
      thread.interrupt();
      pollWriter.shutdownNow();
    }
    thread.join(config.shutdownTimeout().toMillis());
    if (thread.isAlive()) {
      LOG.warn(
          "shard [{}]: batch still in flight after {}, interrupting it",
          shard.name(),
          config.shutdownTimeout());
      thread.interrupt();
      pollWriter.shutdownNow();
      thread.join(config.shutdownTimeout().toMillis());
    }
    pollWriter.shutdownNow();
    moves.close();
  }

  /**
   * A new catalog version: wake the loop from its poll, so that an assignment change or a move step
   * is acted on at once rather than after the poll's timeout.
   */
  private void catalogChanged(CatalogSnapshot snapshot) {
    if (snapshot.version() != assignment.followedVersion()) {
      loop.requestReassign();
      Consumer<byte[], byte[]> current = consumer;
      if (current != null) {
        current.wakeup();
      }
    }
  }

  private void run() {
    try (Consumer<byte[], byte[]> kafka = consumers.get()) {
      consumer = kafka;
      if (loop.stopping()) {
        kafka.wakeup();
      }
      retrier.call(
          -1,
          "migrating the schema",
          () -> {
            store.migrate();
            return null;
          });
      loop.running();
      while (!loop.stopping()) {
        if (loop.reassignRequested()
            || catalog.current().version() != assignment.followedVersion()) {
          loop.reassigning();
          assignment.follow(kafka, catalog.current());
        }
        if (assignment.isEmpty()) {
          idle();
        } else {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = kafka.poll(config.pollTimeout());
          } catch (OffsetOutOfRangeException e) {
            dataLoss.onDeletedOffsets(kafka, e);
            continue;
          } catch (WakeupException e) {
            if (loop.stopping()) {
              break;
            }
            continue;
          }
          pollWriter.processAll(records);
          pollWriter.updateLag(kafka);
        }
        moves.afterPoll(kafka, catalog.current());
      }
      finish(null);
    } catch (WakeupException e) {
      finish(null);
    } catch (InterruptedException e) {
      finish(loop.stopping() ? null : e);
    } catch (RuntimeException | Error e) {
      finish(loop.stopping() && e instanceof WriterFailure ? null : e);
    }
  }

  private void finish(@Nullable Throwable failure) {
    if (failure == null) {
      loop.stopped();
      LOG.info("shard [{}]: writer stopped", shard.name());
      termination.complete(null);
    } else {
      loop.failed(failure);
      LOG.error(
          "shard [{}]: writer stopped by an error retrying cannot fix", shard.name(), failure);
      termination.completeExceptionally(failure);
    }
  }

  /** Nothing assigned: wait as long as a poll would, or until the catalog changes. */
  private void idle() throws InterruptedException {
    long until = System.nanoTime() + config.pollTimeout().toNanos();
    while (!loop.stopping() && !loop.reassignRequested() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }

  /** An error retrying cannot fix, named by shard, partition and what failed. */
  static final class WriterFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    WriterFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
