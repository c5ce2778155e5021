package dev.shardpipe.topology;

import dev.shardpipe.core.routing.Routing;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --partitions} and {@code --tweet-locations} (picocli mixin): the routing half of {@link
 * TopologyOptions}, on its own for the devstack, which runs the catalog rather than connecting to
 * one. Each defaults to the environment variable the services read for the same setting
 * (docs/operations.md), then to the services' default.
 */
public final class RoutingOptions {

  /** The environment variable that overrides the default of {@code --partitions}: {@value}. */
  public static final String PARTITIONS_VARIABLE = "SHARDPIPE_PARTITIONS";

  /** The environment variable that overrides the default of {@code --tweet-locations}: {@value}. */
  public static final String TWEET_LOCATIONS_VARIABLE = "SHARDPIPE_TWEET_LOCATIONS";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

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

  /**
   * Checks both options and returns the routing they give.
   *
   * @return the routing
   * @throws ParameterException naming the options and the fault, which picocli prints with the
   *     usage and exit status 2 instead of a stack trace
   */
  public Routing routing() {
    try {
      return Routing.of(partitions, tweetLocations);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          mixee.commandLine(), "--partitions or --tweet-locations: " + e.getMessage(), e);
    }
  }
}
