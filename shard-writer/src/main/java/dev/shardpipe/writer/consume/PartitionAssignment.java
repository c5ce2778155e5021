package dev.shardpipe.writer.consume;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.store.ShardSink;
import dev.shardpipe.writer.metrics.WriterMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this writer applies, following the catalog's placement as partitions move
 * (docs/elasticity.md): arriving partitions are sought to their applied offset, leaving ones are
 * forgotten, the others keep their positions. The consumer's assignment is the loop thread's own;
 * {@link #view()} and {@link #fence} may be called from any thread.
 */
final class PartitionAssignment {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final String topic;
  private final ShardSink store;
  private final Retrier retrier;
  private final AppliedPositions positions;
  private final DataLossGuard dataLoss;
  private final WriterMetrics metrics;

  /** The partitions the consumer is assigned; the loop thread's own. */
  private final SortedSet<Integer> assignment = new TreeSet<>();

  /**
   * Partitions whose offset row this shard found fenced: they have moved away, or are moving, and
   * are not applied until a newer catalog version brings them back.
   */
  private final Set<Integer> fenced = ConcurrentHashMap.newKeySet();

  private volatile long followedVersion = -1;
  private volatile List<Integer> view = List.of();

  PartitionAssignment(
      String shard,
      String topic,
      ShardSink store,
      Retrier retrier,
      AppliedPositions positions,
      DataLossGuard dataLoss,
      WriterMetrics metrics) {
    this.shard = shard;
    this.topic = topic;
    this.store = store;
    this.retrier = retrier;
    this.positions = positions;
    this.dataLoss = dataLoss;
    this.metrics = metrics;
  }

  /** The partitions applied now, ascending. */
  List<Integer> view() {
    return view;
  }

  /** The catalog version the assignment follows; -1 before the first. */
  long followedVersion() {
    return followedVersion;
  }

  boolean isEmpty() {
    return assignment.isEmpty();
  }

  boolean contains(int partition) {
    return assignment.contains(partition);
  }

  /**
   * The partition's offset row is fenced here: leave it out from the next {@link #follow} on, until
   * a newer catalog version.
   */
  void fence(int partition) {
    fenced.add(partition);
  }

  /**
   * Brings the consumer's assignment to what the catalog gives this shard now. Partitions that stay
   * keep their positions (KafkaConsumer#assign keeps the state of partitions assigned before);
   * arriving ones are sought to their applied offset, or to the beginning when the shard has
   * applied nothing of them; leaving ones are forgotten. A partition found fenced here is left out
   * until a newer catalog version: a move away from this shard has fenced it.
   */
  void follow(Consumer<byte[], byte[]> kafka, CatalogSnapshot snapshot)
      throws InterruptedException {
    if (snapshot.version() != followedVersion) {
      fenced.clear();
    }
    SortedSet<Integer> desired = new TreeSet<>(snapshot.assignmentOf(shard));
    desired.removeAll(fenced);
    SortedSet<Integer> arriving = new TreeSet<>(desired);
    arriving.removeAll(assignment);
    SortedSet<Integer> leaving = new TreeSet<>(assignment);
    leaving.removeAll(desired);
    Map<Integer, Long> applied =
        arriving.isEmpty()
            ? Map.of()
            : retrier.call(-1, "reading applied_offsets", () -> store.appliedOffsets(arriving));
    if (!arriving.isEmpty()) {
      // Every partition this shard applies has its child tables from the start, written to or
      // not, so that readers of the whole partition (SQL over every shard) never miss a table.
      retrier.call(
          -1,
          "creating the child tables of " + arriving,
          () -> {
            store.ensurePartitions(arriving);
            return null;
          });
    }
    List<TopicPartition> assigned = new ArrayList<>();
    for (int partition : desired) {
      assigned.add(new TopicPartition(topic, partition));
    }
    kafka.assign(assigned);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (int partition : arriving) {
      TopicPartition tp = new TopicPartition(topic, partition);
      Long next = applied.get(partition);
      if (next == null) {
        positions.forget(partition);
        fromStart.add(tp);
      } else {
        positions.set(partition, next);
        kafka.seek(tp, next);
      }
    }
    // seekToBeginning of no partitions means all of them (KafkaConsumer's contract): it would undo
    // every seek above and re-read each partition from its first offset.
    if (!fromStart.isEmpty()) {
      kafka.seekToBeginning(fromStart);
    }
    for (int partition : leaving) {
      positions.forget(partition);
      metrics.forget(partition);
      dataLoss.forget(partition);
    }
    dataLoss.pauseHeld(kafka);
    assignment.clear();
    assignment.addAll(desired);
    view = List.copyOf(desired);
    followedVersion = snapshot.version();
    if (!arriving.isEmpty() || !leaving.isEmpty() || followedVersion >= 0) {
      LOG.info(
          "shard [{}]: catalog version {}: applying partitions {} of {}{}{}",
          shard,
          snapshot.version(),
          desired,
          topic,
          arriving.isEmpty() ? "" : "; added " + arriving + " from applied_offsets " + applied,
          leaving.isEmpty() ? "" : "; dropped " + leaving);
    }
  }
}
