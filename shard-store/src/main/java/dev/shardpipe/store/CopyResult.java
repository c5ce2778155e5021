package dev.shardpipe.store;

import io.micronaut.core.annotation.Nullable;

/**
 * What {@link PartitionCopy#copy} copied.
 *
 * @param snapshotOffset the source's {@code applied_offsets} next offset for the partition in the
 *     copy's snapshot, now the target's: the target's writer resumes there; null when the source
 *     had no row (the partition was never applied there)
 * @param rows rows and tombstones copied, over every table
 */
public record CopyResult(@Nullable Long snapshotOffset, long rows) {}
