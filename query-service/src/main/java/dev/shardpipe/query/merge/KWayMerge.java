package dev.shardpipe.query.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges lists that are each already sorted, such as one page per shard, into the first {@code
 * limit} items of their union in the same order. Costs {@code O(limit * log k)} for {@code k} lists
 * and never sorts the whole union.
 */
public final class KWayMerge {

  private KWayMerge() {}

  /**
   * Merges sorted lists.
   *
   * @param <T> the item type
   * @param sources the lists, each sorted by {@code order}; none is modified
   * @param order the order of every source and of the result
   * @param limit the most items to return, {@code >= 0}
   * @return up to {@code limit} items, sorted by {@code order}; equal items keep the order of their
   *     sources in {@code sources}
   * @throws IllegalArgumentException if {@code limit < 0}
   */
  public static <T> List<T> merge(
      List<? extends List<? extends T>> sources, Comparator<? super T> order, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, was " + limit);
    }
    PriorityQueue<Head<T>> heads =
        new PriorityQueue<>(
            Math.max(1, sources.size()),
            Comparator.<Head<T>, T>comparing(Head::item, order).thenComparingInt(Head::source));
    for (int s = 0; s < sources.size(); s++) {
      if (!sources.get(s).isEmpty()) {
        heads.add(new Head<>(sources.get(s).get(0), s, 0));
      }
    }
    List<T> merged = new ArrayList<>(Math.min(limit, 1024));
    while (merged.size() < limit && !heads.isEmpty()) {
      Head<T> head = heads.poll();
      merged.add(head.item());
      List<? extends T> source = sources.get(head.source());
      int next = head.position() + 1;
      if (next < source.size()) {
        heads.add(new Head<>(source.get(next), head.source(), next));
      }
    }
    return merged;
  }

  private record Head<T>(T item, int source, int position) {}
}
