package dev.shardpipe.devstack;

import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.topology.Topology;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to run the devstack, made with {@link #builder()}: every setting has a default, the ones of
 * {@code java -jar devstack.jar} without options (docs/operations.md), and {@link Builder#build()}
 * checks them all at once.
 */
public final class DevstackOptions {

  /** Default data directory, relative to the working directory: {@value}. */
  public static final String DEFAULT_DATA_DIR = ".devstack";

  /** Default Kafka client port: {@value}. */
  public static final int DEFAULT_KAFKA_PORT = 9092;

  /** Default KRaft controller port: {@value}. */
  public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;

  /** Default PostgreSQL port: {@value}. */
  public static final int DEFAULT_POSTGRES_PORT = 5433;

  /** Default ingest-api port: {@value}. */
  public static final int DEFAULT_INGEST_PORT = 8080;

  /** Default query-service port: {@value}. */
  public static final int DEFAULT_QUERY_PORT = 8081;

  /** Default port of the first writer; the n-th shard's writer takes the n-th port on: {@value}. */
  public static final int DEFAULT_WRITER_BASE_PORT = 8082;

  /**
   * Ports {@link Builder#ports(int)} takes from its base on: Kafka, its controller, PostgreSQL,
   * ingest-api, query-service and the first writer: {@value}.
   */
  public static final int FIXED_PORTS = 6;

  private final ServiceJars serviceJars;
  private final Path dataDir;
  private final boolean clean;
  private final int kafkaPort;
  private final int kafkaControllerPort;
  private final int postgresPort;
  private final int ingestPort;
  private final int queryPort;
  private final int writerBasePort;
  private final int partitions;
  private final String tweetLocations;
  private final String placement;
  private final boolean auth;

  private DevstackOptions(Builder b, ServiceJars serviceJars) {
    this.serviceJars = serviceJars;
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.clean = b.clean;
    this.kafkaPort = b.kafkaPort;
    this.kafkaControllerPort = b.kafkaControllerPort;
    this.postgresPort = b.postgresPort;
    this.ingestPort = b.ingestPort;
    this.queryPort = b.queryPort;
    this.writerBasePort = b.writerBasePort;
    this.partitions = b.partitions;
    this.tweetLocations = b.tweetLocations;
    this.placement = b.placement;
    this.auth = b.auth;
  }

  /**
   * Starts options with every default.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns where the services' jars are.
   *
   * @return the jars
   */
  public ServiceJars serviceJars() {
    return serviceJars;
  }

  /**
   * Returns where Kafka's log, PostgreSQL's data and the service logs live; kept across restarts.
   *
   * @return an absolute, normalized path
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Tells whether the data directory is deleted before starting.
   *
   * @return true to start empty
   */
  public boolean clean() {
    return clean;
  }

  /**
   * Returns the Kafka client port.
   *
   * @return the port on 127.0.0.1
   */
  public int kafkaPort() {
    return kafkaPort;
  }

  /**
   * Returns the KRaft controller port.
   *
   * @return the port on 127.0.0.1
   */
  public int kafkaControllerPort() {
    return kafkaControllerPort;
  }

  /**
   * Returns the PostgreSQL port.
   *
   * @return the port on 127.0.0.1
   */
  public int postgresPort() {
    return postgresPort;
  }

  /**
   * Returns ingest-api's port.
   *
   * @return the port on 127.0.0.1
   */
  public int ingestPort() {
    return ingestPort;
  }

  /**
   * Returns query-service's port.
   *
   * @return the port on 127.0.0.1
   */
  public int queryPort() {
    return queryPort;
  }

  /**
   * Returns the first writer's port; a shard's writer takes the lowest free port from it on.
   *
   * @return the port on 127.0.0.1
   */
  public int writerBasePort() {
    return writerBasePort;
  }

  /**
   * Returns P, the events topic's partition count.
   *
   * @return P
   */
  public int partitions() {
    return partitions;
  }

  /**
   * Returns the tweet location ranges, as {@code shardpipe.tweet-locations}.
   *
   * @return the ranges
   */
  public String tweetLocations() {
    return tweetLocations;
  }

  /**
   * Returns the placement that seeds an empty catalog, as {@code shardpipe.placement}.
   *
   * @return the placement
   */
  public String placement() {
    return placement;
  }

  /**
   * Tells whether the HTTP services require bearer tokens (docs/security.md).
   *
   * @return false with {@code --no-auth}
   */
  public boolean auth() {
    return auth;
  }

  /**
   * Returns the topology the tools need to work on this devstack: its routing, its catalog and the
   * login its PostgreSQL trusts, for loadgen and shardctl through {@link Topology#arguments()}.
   *
   * @return the topology
   */
  public Topology topology() {
    return new Topology(
        partitions,
        tweetLocations,
        Devstack.catalogUrl(this),
        Topology.DEFAULT_USER,
        "",
        Topology.DEFAULT_USER,
        "");
  }

  /** Collects the settings; each setter names the option of {@code devstack.jar} it stands for. */
  public static final class Builder {

    private @Nullable ServiceJars serviceJars;
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);
    private boolean clean;
    private int kafkaPort = DEFAULT_KAFKA_PORT;
    private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
    private int postgresPort = DEFAULT_POSTGRES_PORT;
    private int ingestPort = DEFAULT_INGEST_PORT;
    private int queryPort = DEFAULT_QUERY_PORT;
    private int writerBasePort = DEFAULT_WRITER_BASE_PORT;
    private int partitions = Routing.DEFAULT_PARTITIONS;
    private String tweetLocations = Routing.DEFAULT_TWEET_LOCATIONS;
    private String placement = Placement.DEFAULT_PLACEMENT;
    private boolean auth = true;

    private Builder() {}

    /**
     * Sets where the services' jars are ({@code --service-jars}, {@code --home}).
     *
     * @param jars the jars; default: {@link ServiceJars#locate} with {@value ServiceJars#VARIABLE}
     * @return this builder
     */
    public Builder serviceJars(ServiceJars jars) {
      this.serviceJars = Objects.requireNonNull(jars, "serviceJars");
      return this;
    }

    /**
     * Sets the data directory ({@code --data-dir}).
     *
     * @param dir where Kafka, PostgreSQL and the logs keep their files; default {@value
     *     DevstackOptions#DEFAULT_DATA_DIR} in the working directory
     * @return this builder
     */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dataDir");
      return this;
    }

    /**
     * Sets whether the data directory is deleted first ({@code --clean}).
     *
     * @param clean true to start empty; default false
     * @return this builder
     */
    public Builder clean(boolean clean) {
      this.clean = clean;
      return this;
    }

    /**
     * Sets the Kafka client port ({@code --kafka-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_KAFKA_PORT}
     * @return this builder
     */
    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    /**
     * Sets the KRaft controller port ({@code --kafka-controller-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_KAFKA_CONTROLLER_PORT}
     * @return this builder
     */
    public Builder kafkaControllerPort(int port) {
      this.kafkaControllerPort = port;
      return this;
    }

    /**
     * Sets the PostgreSQL port ({@code --postgres-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_POSTGRES_PORT}
     * @return this builder
     */
    public Builder postgresPort(int port) {
      this.postgresPort = port;
      return this;
    }

    /**
     * Sets ingest-api's port ({@code --ingest-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_INGEST_PORT}
     * @return this builder
     */
    public Builder ingestPort(int port) {
      this.ingestPort = port;
      return this;
    }

    /**
     * Sets query-service's port ({@code --query-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_QUERY_PORT}
     * @return this builder
     */
    public Builder queryPort(int port) {
      this.queryPort = port;
      return this;
    }

    /**
     * Sets the first writer's port ({@code --writer-base-port}).
     *
     * @param port default {@value DevstackOptions#DEFAULT_WRITER_BASE_PORT}
     * @return this builder
     */
    public Builder writerBasePort(int port) {
      this.writerBasePort = port;
      return this;
    }

    /**
     * Sets every port to consecutive ones: Kafka, its controller, PostgreSQL, ingest-api,
     * query-service, then the writers.
     *
     * @param base the first of them
     * @return this builder
     */
    public Builder ports(int base) {
      return kafkaPort(base)
          .kafkaControllerPort(base + 1)
          .postgresPort(base + 2)
          .ingestPort(base + 3)
          .queryPort(base + 4)
          .writerBasePort(base + 5);
    }

    /**
     * Sets every port to one free now, as tests that run beside other devstacks want.
     *
     * @return this builder
     * @throws IOException if no free port can be found
     */
    public Builder freePorts() throws IOException {
      return kafkaPort(FreePort.find())
          .kafkaControllerPort(FreePort.find())
          .postgresPort(FreePort.find())
          .ingestPort(FreePort.find())
          .queryPort(FreePort.find())
          .writerBasePort(FreePort.find());
    }

    /**
     * Sets P ({@code --partitions}).
     *
     * @param partitions default {@value Routing#DEFAULT_PARTITIONS}
     * @return this builder
     */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /**
     * Sets the tweet location ranges ({@code --tweet-locations}).
     *
     * @param ranges default {@value Routing#DEFAULT_TWEET_LOCATIONS}
     * @return this builder
     */
    public Builder tweetLocations(String ranges) {
      this.tweetLocations = Objects.requireNonNull(ranges, "tweetLocations");
      return this;
    }

    /**
     * Sets the placement that seeds an empty catalog ({@code --placement}).
     *
     * @param placement default {@value Placement#DEFAULT_PLACEMENT}
     * @return this builder
     */
    public Builder placement(String placement) {
      this.placement = Objects.requireNonNull(placement, "placement");
      return this;
    }

    /**
     * Sets whether the HTTP services require bearer tokens ({@code --no-auth} turns it off).
     *
     * @param auth default true
     * @return this builder
     */
    public Builder auth(boolean auth) {
      this.auth = auth;
      return this;
    }

    /**
     * Checks the settings and makes the options.
     *
     * @return the options
     * @throws IllegalArgumentException naming the option at fault: a port outside 1 to 65535, two
     *     services on one port, routing or placement that do not parse
     * @throws IllegalStateException if no service jars were set and none are found
     */
    public DevstackOptions build() {
      List<Integer> ports =
          List.of(kafkaPort, kafkaControllerPort, postgresPort, ingestPort, queryPort);
      Set<Integer> seen = new HashSet<>();
      for (int port : ports) {
        requirePort(port);
        if (!seen.add(port)) {
          throw new IllegalArgumentException("every port must differ, " + port + " is given twice");
        }
      }
      requirePort(writerBasePort);
      if (seen.contains(writerBasePort)) {
        throw new IllegalArgumentException(
            "--writer-base-port " + writerBasePort + " is taken by another service's port");
      }
      try {
        Routing.of(partitions, tweetLocations);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--partitions or --tweet-locations: " + e.getMessage(), e);
      }
      try {
        Placement.parse(partitions, placement);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--placement: " + e.getMessage(), e);
      }
      return new DevstackOptions(
          this,
          serviceJars != null
              ? serviceJars
              : ServiceJars.locate(null, System.getenv(ServiceJars.VARIABLE)));
    }

    private static void requirePort(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("ports must be 1 to 65535, was " + port);
      }
    }
  }
}
