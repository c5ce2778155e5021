/**
 * {@code loadgen reads}: routed or merged pages of tweets at a fixed rate, from query-service over
 * HTTP or from the same SQL run on the shards directly (the reference of the read benchmark), each
 * page checked.
 *
 * <p>The SQL reference is written from shard-store's schema, never from query-service's classes;
 * nothing here writes.
 */
package dev.shardpipe.loadgen.reads;
