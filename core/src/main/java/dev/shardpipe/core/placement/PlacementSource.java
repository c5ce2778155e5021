package dev.shardpipe.core.placement;

/**
 * Where a service gets the current placement. Placement changes at runtime (partitions move between
 * shards), so a service asks for it once per unit of work, a request or a poll, and uses that one
 * answer throughout, rather than holding a placement of its own (docs/elasticity.md).
 */
public interface PlacementSource {

  /**
   * Returns the newest placement this process has seen.
   *
   * @return the placement; while the catalog is unreachable, the last one read from it
   */
  Placement current();
}
