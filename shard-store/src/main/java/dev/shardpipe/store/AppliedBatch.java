package dev.shardpipe.store;

/**
 * What one committed transaction did.
 *
 * @param partition the partition
 * @param nextOffset the offset the writer resumes from, now in {@code applied_offsets}
 * @param upserts events offered as upserts (a row is written unless a newer version exists)
 * @param deletes events offered as deletes
 * @param rowsWritten rows inserted or replaced plus tombstones written; less than {@code upserts +
 *     deletes} when a stored version was newer or a redelivered event changed nothing
 *     (docs/contract.md §3)
 * @param alreadyCommitted true when an earlier attempt of this same transaction had committed and
 *     only its acknowledgement was lost, so nothing was written again; the counts are then that
 *     attempt's, which the caller has not seen yet, or zeros when the store that made it is not the
 *     one answering (it restarted in between)
 */
public record AppliedBatch(
    int partition,
    long nextOffset,
    int upserts,
    int deletes,
    int rowsWritten,
    boolean alreadyCommitted) {}
