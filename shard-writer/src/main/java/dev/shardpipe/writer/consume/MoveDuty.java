package dev.shardpipe.writer.consume;

import dev.shardpipe.catalog.CatalogSnapshot;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The move steps a writer runs on its own shard after each poll (docs/elasticity.md); {@link
 * MoveStepRunner} in the service. A seam so that the loop runs in a unit test without the catalog's
 * database: the steps themselves are tested against it.
 */
@FunctionalInterface
interface MoveDuty {

  /**
   * Runs the steps the snapshot's moves call for; a step that fails is tried after the next poll.
   */
  void afterPoll(Consumer<byte[], byte[]> kafka, CatalogSnapshot snapshot);

  /** Stops any step still running on its own thread. */
  default void close() {}

  /** Makes the duty of one writer from the parts of its loop. */
  @FunctionalInterface
  interface Factory {
    MoveDuty create(LoopState loop, PartitionAssignment assignment, AppliedPositions positions);
  }
}
