/**
 * A shard's database: the schema ({@link dev.shardpipe.store.ShardSchema}) and its Flyway
 * migrations in {@code db/migration}, the transaction that writes a partition's rows and its
 * applied offset together ({@link dev.shardpipe.store.ShardStore}, the PostgreSQL {@link
 * dev.shardpipe.store.ShardSink} the writer depends on; its pieces are package-private: migration,
 * child tables, the compare-and-set on {@code applied_offsets}, the statements built from each
 * event kind, bisection), the shared read of {@code applied_offsets} ({@link
 * dev.shardpipe.store.AppliedOffsets}), and what moving a partition between shards needs from a
 * shard: child tables on demand, fencing, dropping, and {@link dev.shardpipe.store.PartitionCopy}.
 * Plain JDBC on any {@code DataSource}; no Micronaut beans, so the package sits on any classpath.
 */
package dev.shardpipe.store;
