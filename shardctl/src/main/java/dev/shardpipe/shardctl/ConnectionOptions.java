package dev.shardpipe.shardctl;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.topology.Topology;
import dev.shardpipe.topology.TopologyOptions;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the catalog, the shards and Kafka are: the options every command shares, the topology's
 * from {@link TopologyOptions} as every tool has them. Each defaults to the environment variable
 * the services read for the same setting, then to the devstack's value, so that in the devstack no
 * option is needed and in a container the service environment suffices.
 */
final class ConnectionOptions {

  /** The devstack's broker: {@value}. */
  static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  @Mixin TopologyOptions topologyOptions;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-" + DEFAULT_BOOTSTRAP_SERVERS + "}",
      description = "Kafka (env KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "${env:SHARDPIPE_TOPIC:-" + PipelineConfiguration.DEFAULT_TOPIC + "}",
      description = "The events topic (env SHARDPIPE_TOPIC; default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--location-regions",
      defaultValue =
          "${env:SHARDPIPE_LOCATION_REGIONS:-" + RegionPins.DEFAULT_LOCATION_REGIONS + "}",
      description =
          "Locations pinned to regions, as the services' shardpipe.location-regions (env"
              + " SHARDPIPE_LOCATION_REGIONS; default: ${DEFAULT-VALUE}).")
  String locationRegions;

  private @Nullable Topology topology;

  /**
   * The partitions, tweet locations, catalog and logins, checked once.
   *
   * @throws picocli.CommandLine.ParameterException naming the option at fault
   */
  Topology topology() {
    if (topology == null) {
      topology = topologyOptions.topology();
    }
    return topology;
  }
}
