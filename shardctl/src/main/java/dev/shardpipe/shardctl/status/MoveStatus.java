package dev.shardpipe.shardctl.status;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One move as {@code shardctl status} shows it.
 *
 * @param id the move's id
 * @param partition the partition moved
 * @param from the source shard
 * @param to the target shard
 * @param state the move's state, lower-case ({@code catching_up})
 * @param rowsCopied rows and tombstones copied to the target
 * @param lag events of the partition the target has still to apply: Kafka's end offset less the
 *     target's applied offset; null unless the target is catching up or at its cutover, or when
 *     Kafka or the target could not be read
 * @param startedAt when the move started
 * @param finishedAt when it ended, or null while under way
 * @param error the last error a step of it met, or null
 */
public record MoveStatus(
    long id,
    int partition,
    String from,
    String to,
    String state,
    long rowsCopied,
    @Nullable Long lag,
    Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable String error) {}
