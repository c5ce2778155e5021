/**
 * {@code bin/shardctl}: the commands, the session that connects them to the catalog, the shards and
 * Kafka, and the driving of moves. Planning lives in {@code plan}, the status report's shapes in
 * {@code status}.
 */
package dev.shardpipe.shardctl;
