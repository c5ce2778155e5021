package dev.shardpipe.catalog;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One move of a partition between shards, as recorded in the catalog.
 *
 * @param id the move's id, assigned by the catalog
 * @param partition the partition moved, in {@code 0..P-1}
 * @param from the source shard
 * @param to the target shard
 * @param state where the move is
 * @param snapshotOffset the source's applied offset in the snapshot that was copied (the target
 *     resumes there); null until copied, or when the source had applied nothing
 * @param finalOffset the source's applied offset when it was fenced off; null until then
 * @param rowsCopied rows and tombstones copied so far
 * @param cutoverVersion the placement version that first named the target; null before the switch
 * @param error the last error a step met, or null
 * @param startedAt when the move was started
 * @param updatedAt when its state last changed
 * @param finishedAt when it ended (done or aborted), or null
 */
public record Move(
    long id,
    int partition,
    String from,
    String to,
    MoveState state,
    @Nullable Long snapshotOffset,
    @Nullable Long finalOffset,
    long rowsCopied,
    @Nullable Long cutoverVersion,
    @Nullable String error,
    Instant startedAt,
    Instant updatedAt,
    @Nullable Instant finishedAt) {}
