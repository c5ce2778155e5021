package dev.shardpipe.core.token;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a read must wait for: for each named partition, the offset of a record that must have been
 * applied. A read after this token sees every record at or below these offsets, because the shard
 * owning each partition has applied it past them (applied {@code next_offset > offset}).
 *
 * @param offsets partition to the highest offset to wait for, ascending by partition; not empty;
 *     partitions and offsets {@code >= 0}
 */
public record ReadToken(Map<Integer, Long> offsets) {

  /**
   * Checks and copies the offsets, sorted by partition.
   *
   * @throws IllegalArgumentException if empty or if a partition or offset is negative
   */
  public ReadToken {
    if (offsets.isEmpty()) {
      throw new IllegalArgumentException("a read token names at least one partition");
    }
    TreeMap<Integer, Long> sorted = new TreeMap<>();
    offsets.forEach(
        (partition, offset) -> {
          if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException(
                "partition and offset must be >= 0, were " + partition + " and " + offset);
          }
          sorted.put(partition, offset);
        });
    offsets = Collections.unmodifiableMap(sorted);
  }

  /**
   * A token for one record.
   *
   * @param partition its partition, {@code >= 0}
   * @param offset its offset, {@code >= 0}
   * @return the token
   */
  public static ReadToken of(int partition, long offset) {
    return new ReadToken(Map.of(partition, offset));
  }

  /**
   * Returns a token that covers this one and another: per partition, the higher offset.
   *
   * @param other the other token
   * @return the union
   */
  public ReadToken merge(ReadToken other) {
    TreeMap<Integer, Long> union = new TreeMap<>(offsets);
    other.offsets.forEach((partition, offset) -> union.merge(partition, offset, Math::max));
    return new ReadToken(union);
  }
}
