package dev.shardpipe.topology;

import dev.shardpipe.core.routing.Routing;
import picocli.CommandLine.Option;

/**
 * {@code --partitions} and {@code --tweet-locations} (picocli mixin): the routing half of {@link
 * TopologyOptions}, on its own for the devstack, which runs the catalog rather than connecting to
 * one and checks the values together with its placement. Each defaults to the environment variable
 * the services read for the same setting (docs/operations.md), then to the services' default.
 */
public final class RoutingOptions {

  /** The environment variable that overrides the default of {@code --partitions}: {@value}. */
  public static final String PARTITIONS_VARIABLE = "SHARDPIPE_PARTITIONS";

  /** The environment variable that overrides the default of {@code --tweet-locations}: {@value}. */
  public static final String TWEET_LOCATIONS_VARIABLE = "SHARDPIPE_TWEET_LOCATIONS";

  @Option(
      names = TopologyOptions.PARTITIONS,
      defaultValue = "${env:" + PARTITIONS_VARIABLE + ":-" + Routing.DEFAULT_PARTITIONS + "}",
      description =
          "P, the events topic's partition count, as the services' shardpipe.partitions."
              + " Default: $"
              + PARTITIONS_VARIABLE
              + ", else "
              + Routing.DEFAULT_PARTITIONS
              + ".")
  int partitions;

  @Option(
      names = TopologyOptions.TWEET_LOCATIONS,
      defaultValue =
          "${env:" + TWEET_LOCATIONS_VARIABLE + ":-" + Routing.DEFAULT_TWEET_LOCATIONS + "}",
      description =
          "Tweet location ranges, as the services' shardpipe.tweet-locations. Default: $"
              + TWEET_LOCATIONS_VARIABLE
              + ", else "
              + Routing.DEFAULT_TWEET_LOCATIONS
              + ".")
  String tweetLocations;

  /**
   * Returns {@code --partitions}.
   *
   * @return P as given, not yet checked
   */
  public int partitions() {
    return partitions;
  }

  /**
   * Returns {@code --tweet-locations}.
   *
   * @return the ranges as given, not yet checked
   */
  public String tweetLocations() {
    return tweetLocations;
  }
}
