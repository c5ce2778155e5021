package dev.shardpipe.shardctl.plan;

/**
 * One move of a plan.
 *
 * @param partition the partition, in {@code 0..P-1}
 * @param from the shard it is on
 * @param to the shard it goes to
 */
public record PlannedMove(int partition, String from, String to) {}
