/**
 * Planning which partitions to move: {@link dev.shardpipe.shardctl.plan.Rebalancer} turns a catalog
 * snapshot into a {@link dev.shardpipe.shardctl.plan.Plan}. Pure logic: no database, no Kafka, no
 * output, so every rule is unit-tested.
 */
package dev.shardpipe.shardctl.plan;
