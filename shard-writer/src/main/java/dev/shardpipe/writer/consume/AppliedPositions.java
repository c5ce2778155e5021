package dev.shardpipe.writer.consume;

import io.micronaut.core.annotation.Nullable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offset each partition's next commit expects to find in the store and replace (the
 * compare-and-set of docs/architecture.md, "The writer's transaction"); absent until the partition
 * has one. Each partition is written by one task at a time, and its next task starts only after the
 * loop has seen the previous one end.
 */
final class AppliedPositions {

  private final Map<Integer, Long> expected = new ConcurrentHashMap<>();

  /** The partition's applied offset as this writer last read or wrote it, or null for none. */
  @Nullable
  Long of(int partition) {
    return expected.get(partition);
  }

  void set(int partition, long nextOffset) {
    expected.put(partition, nextOffset);
  }

  void forget(int partition) {
    expected.remove(partition);
  }
}
