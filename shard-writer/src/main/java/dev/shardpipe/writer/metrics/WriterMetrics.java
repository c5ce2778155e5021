package dev.shardpipe.writer.metrics;

import dev.shardpipe.writer.config.WriterShard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's meters (docs/contract.md §8), each tagged with {@code shard}; Prometheus scrapes
 * them at {@code /prometheus} with dots as underscores, counters ending in {@code _total}:
 *
 * <ul>
 *   <li>{@value #ROWS_WRITTEN} (counter): rows inserted or replaced plus tombstones written; its
 *       rate is rows written per second
 *   <li>{@value #RECORDS} (counter): records consumed and committed, whatever became of them
 *   <li>{@value #BATCH_SIZE} (distribution summary): records per partition transaction
 *   <li>{@value #TRANSACTION} (timer): time of one partition transaction that committed, from
 *       taking a connection to the commit's acknowledgement
 *   <li>{@value #LAG} (gauge, also tagged {@code partition}): the partition's end offset minus its
 *       applied offset as of the last poll; NaN until both are known
 *   <li>{@value #DEAD_LETTERS} (counter, also tagged {@code cause}): records sent to the
 *       dead-letter topic, {@code invalid} when not a valid event, {@code refused} when the
 *       database refused it
 *   <li>{@value #FORWARDED} (counter): records forwarded to the partition they route to
 * </ul>
 */
@Singleton
public final class WriterMetrics {

  /** Rows written: {@value}. */
  public static final String ROWS_WRITTEN = "shardpipe.writer.rows.written";

  /** Records consumed and committed: {@value}. */
  public static final String RECORDS = "shardpipe.writer.records";

  /** Records per partition transaction: {@value}. */
  public static final String BATCH_SIZE = "shardpipe.writer.batch.size";

  /** Partition transaction time: {@value}. */
  public static final String TRANSACTION = "shardpipe.writer.transaction";

  /** Lag per partition: {@value}. */
  public static final String LAG = "shardpipe.writer.lag";

  /** Dead letters sent: {@value}. */
  public static final String DEAD_LETTERS = "shardpipe.writer.dead.letters";

  /** Records forwarded: {@value}. */
  public static final String FORWARDED = "shardpipe.writer.forwarded";

  /** Records deleted by retention before this shard applied them, per partition. */
  public static final String DATA_LOSS = "shardpipe.writer.data.loss";

  private static final String SHARD_TAG = "shard";
  private static final long UNKNOWN = -1;

  private final MeterRegistry registry;
  private final Counter rowsWritten;
  private final Counter records;
  private final DistributionSummary batchSize;
  private final Timer transaction;
  private final Counter invalid;
  private final Counter refused;
  private final Counter forwarded;
  private final String shardName;
  private final Map<Integer, AtomicLong> lags = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> losses = new ConcurrentHashMap<>();

  /**
   * Registers the meters of one shard's writer.
   *
   * @param registry where the meters live
   * @param shard the shard; a lag gauge per partition is added as partitions join it
   */
  public WriterMetrics(MeterRegistry registry, WriterShard shard) {
    this.registry = registry;
    String name = shard.name();
    this.shardName = name;
    rowsWritten =
        Counter.builder(ROWS_WRITTEN)
            .description("Rows inserted or replaced plus tombstones written")
            .tag(SHARD_TAG, name)
            .register(registry);
    records =
        Counter.builder(RECORDS)
            .description("Records consumed and committed")
            .tag(SHARD_TAG, name)
            .register(registry);
    batchSize =
        DistributionSummary.builder(BATCH_SIZE)
            .description("Records per partition transaction")
            .tag(SHARD_TAG, name)
            .register(registry);
    transaction =
        Timer.builder(TRANSACTION)
            .description("Time of one committed partition transaction")
            .tag(SHARD_TAG, name)
            .register(registry);
    invalid = deadLetters(name, "invalid");
    refused = deadLetters(name, "refused");
    forwarded =
        Counter.builder(FORWARDED)
            .description("Records forwarded to the partition they route to")
            .tag(SHARD_TAG, name)
            .register(registry);
  }

  private Counter deadLetters(String shard, String cause) {
    return Counter.builder(DEAD_LETTERS)
        .description("Records sent to the dead-letter topic")
        .tag(SHARD_TAG, shard)
        .tag("cause", cause)
        .register(registry);
  }

  /**
   * Starts timing a partition transaction.
   *
   * @return the running sample, for {@link #committed}
   */
  public Timer.Sample startTransaction() {
    return Timer.start(registry);
  }

  /**
   * Records a committed partition transaction.
   *
   * @param sample the sample started before it
   * @param batchRecords the records the transaction covered
   * @param rows rows and tombstones it wrote
   */
  public void committed(Timer.Sample sample, int batchRecords, int rows) {
    sample.stop(transaction);
    batchSize.record(batchRecords);
    records.increment(batchRecords);
    rowsWritten.increment(rows);
  }

  /**
   * Counts records sent on.
   *
   * @param invalidRecords dead letters that are not valid events
   * @param refusedRecords dead letters the database refused
   * @param forwardedRecords records forwarded to their routed partition
   */
  public void redirected(long invalidRecords, long refusedRecords, long forwardedRecords) {
    invalid.increment(invalidRecords);
    refused.increment(refusedRecords);
    forwarded.increment(forwardedRecords);
  }

  /**
   * Sets a partition's lag.
   *
   * @param partition one of the shard's partitions
   * @param lag records between its applied offset and its end offset, at least 0
   */
  public void lag(int partition, long lag) {
    lags.computeIfAbsent(partition, this::registerLag).set(Math.max(0, lag));
  }

  /**
   * Marks a partition's lag unknown: the partition has left this shard's assignment (it moved to
   * another shard), so its lag is no longer this writer's to report.
   *
   * @param partition the partition
   */
  public void forget(int partition) {
    AtomicLong value = lags.get(partition);
    if (value != null) {
      value.set(UNKNOWN);
    }
  }

  /**
   * Sets how many records of a partition retention deleted before this shard applied them: held
   * (the partition waits for {@code accept-data-loss}) or accepted (skipped, logged); 0 once the
   * partition has left this shard.
   *
   * @param partition the partition
   * @param records records between the applied offset and Kafka's log start offset
   */
  public void dataLoss(int partition, long records) {
    losses
        .computeIfAbsent(
            partition,
            p -> {
              AtomicLong value = new AtomicLong();
              Gauge.builder(DATA_LOSS, value, AtomicLong::get)
                  .description(
                      "Records deleted by retention before this shard applied them (held or"
                          + " accepted with accept-data-loss)")
                  .tag(SHARD_TAG, shardName)
                  .tag("partition", Integer.toString(p))
                  .register(registry);
              return value;
            })
        .set(records);
  }

  /** A gauge per partition, registered when the partition first joins the assignment. */
  private AtomicLong registerLag(int partition) {
    AtomicLong lag = new AtomicLong(UNKNOWN);
    Gauge.builder(LAG, lag, value -> value.get() < 0 ? Double.NaN : value.get())
        .description("End offset minus applied offset, as of the last poll")
        .tag(SHARD_TAG, shardName)
        .tag("partition", Integer.toString(partition))
        .register(registry);
    return lag;
  }
}
