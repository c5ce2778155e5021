/**
 * The writer's entries in {@code /health}: the consume loop (DOWN while it waits to retry or once
 * it stopped) and the shard's database.
 *
 * <p>Reports only: changes nothing, and uses no other service's classes.
 */
package dev.shardpipe.writer.health;
