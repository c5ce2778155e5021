package dev.shardpipe.store;

/**
 * Thrown when {@code applied_offsets} for a partition holds another value than this writer last
 * wrote or read: another writer process applied the partition meanwhile. Fatal: only one writer per
 * shard may run, and continuing would fight it. The transaction that found it was rolled back.
 */
public final class OffsetFencedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the shard, the partition and both offsets
   */
  public OffsetFencedException(String message) {
    super(message);
  }
}
