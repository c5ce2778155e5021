package dev.shardpipe.core.config;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;

/**
 * Builds {@link Routing} and {@link Placement} from {@link PipelineConfiguration} when the
 * application context starts, so that a bad setting stops start-up with a message naming the key,
 * instead of surfacing at the first event. The parse error's own stack adds nothing to its message,
 * so it is not chained.
 */
@Factory
final class PipelineFactory {

  @Context
  Routing routing(PipelineConfiguration config) {
    try {
      return Routing.of(config.partitions(), config.tweetLocations());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PipelineConfiguration.PREFIX + ".tweet-locations: " + e.getMessage());
    }
  }

  @Context
  RegionPins regionPins(PipelineConfiguration config, Routing routing) {
    try {
      return RegionPins.of(routing, config.locationRegions());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PipelineConfiguration.PREFIX + ".location-regions: " + e.getMessage());
    }
  }

  /**
   * The placement of {@code shardpipe.placement}, which only seeds an empty catalog: services read
   * the current placement from a {@link dev.shardpipe.core.placement.PlacementSource}.
   */
  @Context
  @Named(Placement.SEED)
  Placement placement(PipelineConfiguration config) {
    try {
      return Placement.parse(config.partitions(), config.placement());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PipelineConfiguration.PREFIX + ".placement: " + e.getMessage());
    }
  }
}
