/**
 * Placement, partition to shard (docs/contract.md §4, §10): the {@link
 * dev.shardpipe.core.placement.Placement} interface every reader and writer asks, the static
 * placement that seeds an empty catalog, where a service gets the current one, and which partitions
 * are pinned to a region.
 *
 * <p>Part of core, which every module uses: it may not use any other module of the project (the
 * catalog implements these types, not the reverse) nor Micronaut's HTTP layer.
 */
package dev.shardpipe.core.placement;
