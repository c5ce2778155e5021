package dev.shardpipe.shardctl;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import picocli.CommandLine.Option;

/**
 * Where the catalog, the shards and Kafka are: the options every command shares. Each defaults to
 * the environment variable the services read for the same setting, then to the devstack's value, so
 * that in the devstack no option is needed and in a container the service environment suffices.
 */
final class ConnectionOptions {

  /** The devstack's catalog: {@value}. */
  static final String DEFAULT_CATALOG_URL = "jdbc:postgresql://localhost:5433/shardpipe_catalog";

  /** The devstack's broker: {@value}. */
  static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  @Option(
      names = "--catalog-url",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:SHARDPIPE_CATALOG_URL:-" + DEFAULT_CATALOG_URL + "}",
      description = "The catalog database (env SHARDPIPE_CATALOG_URL; default: ${DEFAULT-VALUE}).")
  String catalogUrl;

  @Option(
      names = "--user",
      defaultValue = "${env:SHARDPIPE_DATABASE_USER:-postgres}",
      description =
          "User for the catalog and the shards (env SHARDPIPE_DATABASE_USER; default:"
              + " ${DEFAULT-VALUE}).")
  String user;

  @Option(
      names = "--password",
      defaultValue = "${env:SHARDPIPE_DATABASE_PASSWORD:-}",
      description = "Password for the catalog and the shards (env SHARDPIPE_DATABASE_PASSWORD).")
  String password;

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
      names = "--tweet-locations",
      defaultValue = "${env:SHARDPIPE_TWEET_LOCATIONS:-" + Routing.DEFAULT_TWEET_LOCATIONS + "}",
      description =
          "Tweet location ranges, as the services' shardpipe.tweet-locations (env"
              + " SHARDPIPE_TWEET_LOCATIONS; default: ${DEFAULT-VALUE}).")
  String tweetLocations;

  @Option(
      names = "--location-regions",
      defaultValue =
          "${env:SHARDPIPE_LOCATION_REGIONS:-" + RegionPins.DEFAULT_LOCATION_REGIONS + "}",
      description =
          "Locations pinned to regions, as the services' shardpipe.location-regions (env"
              + " SHARDPIPE_LOCATION_REGIONS; default: ${DEFAULT-VALUE}).")
  String locationRegions;
}
