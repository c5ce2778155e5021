package dev.shardpipe.store;

/**
 * Thrown when a partition's {@code applied_offsets} row is fenced: the partition has moved, or is
 * being moved, to another shard, and this shard may not apply it any more. Not retriable, and not a
 * reason to stop the writer: the writer drops the partition from its assignment. The transaction
 * that found it was rolled back, so nothing of the batch was written.
 */
public final class PartitionFencedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String shard;
  private final int partition;
  private final long fencedOffset;

  /**
   * Creates the exception.
   *
   * @param shard the shard's name
   * @param partition the fenced partition
   * @param fencedOffset the row's {@code next_offset}: every record before it was applied here
   */
  public PartitionFencedException(String shard, int partition, long fencedOffset) {
    super(
        "shard ["
            + shard
            + "] partition ["
            + partition
            + "]: fenced at offset "
            + fencedOffset
            + "; the partition has moved or is being moved to another shard, and this shard no"
            + " longer applies it");
    this.shard = shard;
    this.partition = partition;
    this.fencedOffset = fencedOffset;
  }

  /**
   * Returns the shard that was fenced off the partition.
   *
   * @return the shard's name
   */
  public String shard() {
    return shard;
  }

  /**
   * Returns the fenced partition.
   *
   * @return the partition
   */
  public int partition() {
    return partition;
  }

  /**
   * Returns the offset the partition was fenced at.
   *
   * @return the fenced row's {@code next_offset}, the offset after the last record this shard
   *     applied
   */
  public long fencedOffset() {
    return fencedOffset;
  }
}
