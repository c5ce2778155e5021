/**
 * Where loadgen and the benchmarks find the shards: the catalog's current snapshot (placement, the
 * shards' URLs and the moves under way), pools to the shards it names, and how far each partition
 * is applied wherever it lives now. Reads only; nothing here changes the catalog or a shard. Every
 * statement on a shard comes from shard-store ({@code AppliedOffsets}, {@code ShardSchema}).
 */
package dev.shardpipe.loadgen.shards;
