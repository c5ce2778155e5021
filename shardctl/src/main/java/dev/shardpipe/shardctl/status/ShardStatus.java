package dev.shardpipe.shardctl.status;

import dev.shardpipe.core.event.EventKind;
import io.micronaut.core.annotation.Nullable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard as {@code shardctl status} shows it.
 *
 * @param name the shard's name
 * @param url the JDBC URL of its database
 * @param region its region, or null
 * @param state {@code active}, {@code draining} or {@code removed}
 * @param partitions the partitions placed on it, ascending
 * @param rows per event kind, in {@link EventKind} order, the rows of its table (such as {@code
 *     tweets}) in those partitions; a count is null when the shard could not be read
 */
public record ShardStatus(
    String name,
    String url,
    @Nullable String region,
    String state,
    List<Integer> partitions,
    Map<EventKind, @Nullable Long> rows) {

  /** Copies the partitions and the counts, which may be null. */
  public ShardStatus {
    partitions = List.copyOf(partitions);
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
  }
}
