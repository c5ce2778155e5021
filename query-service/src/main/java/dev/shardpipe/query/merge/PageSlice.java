package dev.shardpipe.query.merge;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.function.Function;

/**
 * One page cut from per-shard reads. Each shard is asked for {@code limit + 1} rows after the
 * cursor: the first {@code limit + 1} rows of the union are then exact (every one of them is among
 * its own shard's first {@code limit + 1}), and the extra row says whether a next page exists
 * without a count.
 *
 * @param <T> the row type
 * @param items at most {@code limit} rows, newest first
 * @param next the position of the last item when more rows follow, else null
 */
public record PageSlice<T>(List<T> items, @Nullable Keyset next) {

  /**
   * Copies the item list.
   *
   * @throws NullPointerException if {@code items} is null
   */
  public PageSlice {
    items = List.copyOf(items);
  }

  /**
   * Merges per-shard reads newest first and cuts the page.
   *
   * @param <T> the row type
   * @param perShard each shard's rows after the cursor, newest first, at most {@code limit + 1}
   *     each
   * @param keyset the position of a row
   * @param limit the page size, {@code >= 1}
   * @return the page and, when rows remain, the position to continue after
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public static <T> PageSlice<T> of(
      List<? extends List<? extends T>> perShard, Function<? super T, Keyset> keyset, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    List<T> merged =
        KWayMerge.merge(
            perShard,
            (a, b) -> Keyset.NEWEST_FIRST.compare(keyset.apply(a), keyset.apply(b)),
            limit + 1);
    if (merged.size() <= limit) {
      return new PageSlice<>(merged, null);
    }
    List<T> page = merged.subList(0, limit);
    return new PageSlice<>(page, keyset.apply(page.get(limit - 1)));
  }
}
