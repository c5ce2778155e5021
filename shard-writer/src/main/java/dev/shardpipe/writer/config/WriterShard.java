package dev.shardpipe.writer.config;

/**
 * The shard this writer owns, checked against the catalog at start-up. Which partitions it applies
 * changes as partitions move; the writer follows the catalog's assignment (docs/elasticity.md).
 *
 * @param name the shard's name, such as {@code eu}
 * @param url the JDBC URL of its database, from the catalog
 */
public record WriterShard(String name, String url) {}
