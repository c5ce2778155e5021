package dev.shardpipe.writer.consume;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.store.AppliedBatch;
import dev.shardpipe.store.PartitionFencedException;
import dev.shardpipe.store.RefusedEvent;
import dev.shardpipe.store.ShardSink;
import dev.shardpipe.store.SqlErrors;
import dev.shardpipe.writer.consume.PartitionBatch.Version;
import dev.shardpipe.writer.consume.ShardWriter.WriterFailure;
import dev.shardpipe.writer.metrics.WriterMetrics;
import dev.shardpipe.writer.redirect.RecordRedirector;
import dev.shardpipe.writer.redirect.Redirect;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one partition batch (docs/architecture.md, "The writer's transaction"): redirect, then
 * apply, then bisect. Sends the batch's dead letters and forwards and waits for Kafka's
 * acknowledgements; commits the winning versions with the partition's next offset in one
 * transaction of the {@link ShardSink}; when the store refuses the data itself, finds the events
 * responsible, sends them to the dead-letter topic with the store's reason, and applies the rest. A
 * partition found fenced is given up, not failed. Each operation goes through the {@link Retrier}.
 * One batch per partition at a time; batches of different partitions may run at once.
 */
final class BatchApplier {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final ShardSink store;
  private final RecordRedirector redirector;
  private final WriterMetrics metrics;
  private final Retrier retrier;
  private final AppliedPositions positions;
  private final PartitionAssignment assignment;
  private final LoopState loop;

  BatchApplier(
      String shard,
      ShardSink store,
      RecordRedirector redirector,
      WriterMetrics metrics,
      Retrier retrier,
      AppliedPositions positions,
      PartitionAssignment assignment,
      LoopState loop) {
    this.shard = shard;
    this.store = store;
    this.redirector = redirector;
    this.metrics = metrics;
    this.retrier = retrier;
    this.positions = positions;
    this.assignment = assignment;
    this.loop = loop;
  }

  /**
   * Redirects, applies and commits the batch, or gives its partition up when it is fenced here.
   *
   * @throws WriterFailure if an operation failed for good
   * @throws InterruptedException if interrupted while retrying or waiting for Kafka
   */
  void process(PartitionBatch batch) throws InterruptedException {
    int partition = batch.partition();
    String offsets = "offsets " + batch.firstOffset() + ".." + (batch.nextOffset() - 1);
    retrier.call(
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
            retrier.call(
                partition,
                "committing " + offsets,
                () -> {
                  Timer.Sample sample = metrics.startTransaction();
                  AppliedBatch done =
                      store.apply(partition, events, positions.of(partition), batch.nextOffset());
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
    positions.set(partition, batch.nextOffset());
    metrics.redirected(batch.deadLetters(), refused.size(), batch.forwards());
    loop.recovered();
    if (batch.deadLetters() > 0 || batch.forwards() > 0 || !refused.isEmpty()) {
      LOG.info(
          "shard [{}] partition [{}] {}: {} dead letters, {} refused by the database, {}"
              + " forwarded",
          shard,
          partition,
          offsets,
          batch.deadLetters(),
          refused.size(),
          batch.forwards());
    }
    LOG.debug(
        "shard [{}] partition [{}] {}: {} records, {} upserts, {} deletes, {} rows written{}",
        shard,
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
    assignment.fence(batch.partition());
    loop.requestReassign();
    LOG.info(
        "shard [{}] partition [{}]: fenced at offset {}, the partition has moved to another shard;"
            + " dropping it and its batch at offsets {}..{}",
        shard,
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
        retrier.call(
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
          shard,
          partition,
          version.record().offset(),
          version.event().id(),
          refused.reason());
      deadLetters.add(new Redirect.DeadLetter(version.record(), refused.reason()));
    }
    retrier.call(
        partition,
        "sending the events the database refused in " + offsets + " to the dead-letter topic",
        () -> {
          redirector.send(deadLetters);
          return null;
        });
    return deadLetters;
  }
}
