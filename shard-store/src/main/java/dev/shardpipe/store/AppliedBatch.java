package dev.shardpipe.store;

/**
 * What one committed transaction did.
 *
 * @param partition the partition
 * @param nextOffset the offset the writer resumes from, now in {@code applied_offsets}
 * @param upserts events offered as upserts (a row is written unless a newer version exists)
 * @param deletes events offered as deletes
 * @param alreadyCommitted true when an earlier attempt of this same transaction had committed and
 *     only its acknowledgement was lost, so nothing was written again
 */
public record AppliedBatch(
    int partition, long nextOffset, int upserts, int deletes, boolean alreadyCommitted) {}
