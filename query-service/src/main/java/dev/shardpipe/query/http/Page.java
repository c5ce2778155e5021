package dev.shardpipe.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * One page of a list read (docs/contract.md §7), newest first.
 *
 * @param <T> the item type
 * @param items at most {@code limit} items
 * @param nextCursor the {@code cursor} of the next page, or {@code null} on the last page
 * @param partial true when a shard the read needed did not answer, so items of that shard are
 *     missing from this page and will not appear in the following ones
 * @param missingShards the shards that did not answer; empty when the page is complete
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
record Page<T>(
    List<T> items, @Nullable String nextCursor, boolean partial, List<String> missingShards) {}
