package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.shards.CatalogView;
import dev.shardpipe.topology.Topology;
import dev.shardpipe.topology.TopologyOptions;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the shards are (picocli mixin of every command that reads them): the topology every tool
 * parses alike ({@link TopologyOptions}: the routing, the catalog, which names the shards, their
 * URLs and the placement of every partition as it changes during a run, and the logins), and how
 * long loadgen waits for the catalog. docs/loadgen.md lists them.
 */
final class CatalogOptions {

  @Mixin private TopologyOptions topology;

  @Option(
      names = "--catalog-timeout",
      defaultValue = CatalogView.DEFAULT_TIMEOUT,
      description = "How long to wait for the catalog's first answer. Default: ${DEFAULT-VALUE}.")
  private Duration catalogTimeout;

  /**
   * Validates the options.
   *
   * @throws picocli.CommandLine.ParameterException naming a topology option and its bad value
   * @throws IllegalArgumentException naming {@code --catalog-timeout} and its bad value
   */
  CatalogSettings settings() {
    return new CatalogSettings(topology.topology(), catalogTimeout);
  }

  /**
   * The validated options.
   *
   * @param topology the routing, the catalog and the logins
   * @param timeout how long to wait for the catalog's first answer
   */
  record CatalogSettings(Topology topology, Duration timeout) {

    CatalogSettings {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("--catalog-timeout must be positive, was " + timeout);
      }
    }

    String url() {
      return topology.catalogUrl();
    }

    String databaseUser() {
      return topology.databaseUser();
    }

    String databasePassword() {
      return topology.databasePassword();
    }

    /**
     * Connects to the catalog and waits for its first snapshot.
     *
     * @param actor the command, as the catalog names who reads
     * @throws IllegalStateException if the catalog cannot be read in time
     * @throws InterruptedException if interrupted
     */
    CatalogView open(String actor) throws InterruptedException {
      return CatalogView.open(
          topology.catalogUrl(),
          topology.catalogUser(),
          topology.catalogPassword(),
          actor,
          timeout);
    }
  }
}
