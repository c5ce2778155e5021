package dev.shardpipe.devstack;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.topology.RoutingOptions;
import io.micronaut.core.annotation.Nullable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar devstack/target/devstack.jar}: starts the devstack, prints the endpoints, and
 * runs until Ctrl-C or SIGTERM, then stops everything cleanly.
 */
@Command(
    name = "devstack",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline on this machine: a real Kafka broker and PostgreSQL, the catalog,"
          + " one writer per shard of the catalog (started and stopped as shardctl adds and"
          + " removes shards), ingest-api and query-service. Data is kept in the data directory"
          + " across restarts."
    })
public final class DevstackCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = DevstackOptions.DEFAULT_DATA_DIR,
      description =
          "Where Kafka, PostgreSQL and the service logs keep their files (default:"
              + " ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(names = "--clean", description = "Delete the data directory first: start empty.")
  private boolean clean;

  @Option(
      names = "--no-auth",
      description =
          "Run ingest-api and query-service without authentication: no bearer token needed"
              + " (micronaut.security.enabled=false). By default they require one; the tokens are"
              + " in <data-dir>/tokens.json.")
  private boolean noAuth;

  @Option(
      names = "--service-jars",
      paramLabel = "DIR",
      description =
          "The directory holding shard-writer.jar, ingest-api.jar, query-service.jar and their"
              + " lib/, as an unpacked distribution has them (default: $"
              + ServiceJars.VARIABLE
              + ", else the jars beside devstack.jar, else the checkout this jar was built in).")
  private @Nullable Path serviceJars;

  @Option(
      names = "--home",
      description =
          "The repository root holding the built services as <module>/target/<module>.jar"
              + " (default: see --service-jars).")
  private @Nullable Path home;

  @Option(
      names = "--kafka-port",
      defaultValue = "" + DevstackOptions.DEFAULT_KAFKA_PORT,
      description = "Default: ${DEFAULT-VALUE}.")
  private int kafkaPort;

  @Option(
      names = "--kafka-controller-port",
      defaultValue = "" + DevstackOptions.DEFAULT_KAFKA_CONTROLLER_PORT,
      description = "Default: ${DEFAULT-VALUE}.")
  private int kafkaControllerPort;

  @Option(
      names = "--postgres-port",
      defaultValue = "" + DevstackOptions.DEFAULT_POSTGRES_PORT,
      description = "Default: ${DEFAULT-VALUE}.")
  private int postgresPort;

  @Option(
      names = "--ingest-port",
      defaultValue = "" + DevstackOptions.DEFAULT_INGEST_PORT,
      description = "Default: ${DEFAULT-VALUE}.")
  private int ingestPort;

  @Option(
      names = "--query-port",
      defaultValue = "" + DevstackOptions.DEFAULT_QUERY_PORT,
      description = "Default: ${DEFAULT-VALUE}.")
  private int queryPort;

  @Option(
      names = "--writer-base-port",
      defaultValue = "" + DevstackOptions.DEFAULT_WRITER_BASE_PORT,
      description =
          "The first writer's port; each further shard adds one (default:" + " ${DEFAULT-VALUE}).")
  private int writerBasePort;

  /** The devstack runs the catalog, so it takes the routing half of the tools' topology options. */
  @Mixin private RoutingOptions routing;

  @Option(
      names = "--placement",
      defaultValue = Placement.DEFAULT_PLACEMENT,
      description =
          "Partition placement on shards, which seeds an empty catalog; once the catalog exists"
              + " the shards come from it and shardctl changes them. Start with one shard with"
              + " --placement eu=0-15 (default: ${DEFAULT-VALUE}).")
  private String placement;

  @Spec private CommandSpec spec;

  /**
   * Runs the command.
   *
   * @param args the command line; {@code --help} lists the options
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new DevstackCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    DevstackOptions options = options();
    PrintStream out = System.out;
    out.println("Starting the shardpipe devstack in " + options.dataDir() + " ...");
    Devstack devstack = Devstack.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the devstack ...");
                  devstack.close();
                  out.println("Stopped. Data kept in " + options.dataDir());
                  stopped.countDown();
                },
                "devstack-shutdown"));
    printEndpoints(out, devstack);
    stopped.await();
    return 0;
  }

  /**
   * The options as given, checked.
   *
   * @throws ParameterException naming the option at fault, which picocli prints with the usage
   */
  DevstackOptions options() {
    try {
      DevstackOptions.Builder builder =
          DevstackOptions.builder()
              .dataDir(dataDir)
              .clean(clean)
              .kafkaPort(kafkaPort)
              .kafkaControllerPort(kafkaControllerPort)
              .postgresPort(postgresPort)
              .ingestPort(ingestPort)
              .queryPort(queryPort)
              .writerBasePort(writerBasePort)
              .partitions(routing.partitions())
              .tweetLocations(routing.tweetLocations())
              .placement(placement)
              .auth(!noAuth);
      if (home != null && serviceJars != null) {
        throw new IllegalArgumentException("--home and --service-jars exclude each other");
      }
      builder.serviceJars(
          home != null
              ? ServiceJars.sourceTree(home)
              : ServiceJars.locate(serviceJars, System.getenv(ServiceJars.VARIABLE)));
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void printEndpoints(PrintStream out, Devstack devstack) {
    DevstackOptions o = devstack.options();
    CatalogSnapshot catalog = devstack.placement();
    out.println();
    out.println("shardpipe devstack is up.");
    for (ServiceProcess service : devstack.services()) {
      String name = service.spec().name();
      String extra = "";
      if (name.startsWith("writer-")) {
        String shard = name.substring("writer-".length());
        List<Integer> partitions = catalog.partitionsOf(shard);
        Shard entry = catalog.shard(shard).orElseThrow();
        extra =
            "  "
                + (partitions.isEmpty() ? "no partitions yet" : "partitions " + ranges(partitions))
                + " -> database "
                + Devstack.databaseName(shard)
                + (entry.region() == null ? "" : ", region " + entry.region())
                + (entry.state() == ShardState.ACTIVE ? "" : ", " + entry.state().label());
      }
      out.printf(
          "  %-14s http://localhost:%d  (pid %d)%s%n",
          name, service.spec().port(), service.pid(), extra);
    }
    out.printf(
        "  %-14s localhost:%d  topics %s (%d partitions), %s%n",
        "Kafka",
        o.kafkaPort(),
        PipelineConfiguration.DEFAULT_TOPIC,
        o.partitions(),
        PipelineConfiguration.DEFAULT_DLQ_TOPIC);
    out.printf(
        "  %-14s localhost:%d  psql -h localhost -p %d -U postgres %s%n",
        "PostgreSQL",
        o.postgresPort(),
        o.postgresPort(),
        Devstack.databaseName(catalog.shards().get(0)));
    out.printf(
        "  %-14s catalog version %d: psql -h localhost -p %d -U postgres %s%n",
        "Catalog", catalog.version(), o.postgresPort(), Devstack.CATALOG_DATABASE);
    out.printf("  %-14s %s%n", "shardctl", shardctlLine(o));
    out.printf(
        "  %-14s http://localhost:%d/console  (partitions, shards and moves, live)%n",
        "Console", o.queryPort());
    printAuth(out, devstack);
    out.println("Logs: " + o.dataDir().resolve("logs"));
    out.println(
        "Ctrl-C stops everything; the data stays in "
            + o.dataDir()
            + " (--clean starts empty). A service that dies is restarted.");
  }

  /** Where the tokens are, and a request that works as printed. */
  private static void printAuth(PrintStream out, Devstack devstack) {
    DevstackOptions o = devstack.options();
    if (devstack.auth().isEmpty()) {
      out.printf(
          "  %-14s off (--no-auth): the HTTP services take requests without a token%n", "Auth");
      return;
    }
    DevstackAuth auth = devstack.auth().orElseThrow();
    out.printf(
        "  %-14s bearer tokens for %s in %s (mode 600), valid %d days%n",
        "Auth", String.join(", ", Roles.ALL), auth.tokensFile(), DevstackAuth.VALID_DAYS);
    out.println("Try it:");
    out.printf(
        "  curl -s -H 'Authorization: Bearer %s' 'http://localhost:%d/tweets?limit=2'%n",
        auth.token(Roles.READ), o.queryPort());
  }

  /** The shardctl command for this devstack: options only where it differs from the defaults. */
  static String shardctlLine(DevstackOptions o) {
    StringBuilder line = new StringBuilder("bin/shardctl status");
    if (o.postgresPort() != DevstackOptions.DEFAULT_POSTGRES_PORT) {
      line.append(" --catalog-url ").append(Devstack.catalogUrl(o));
    }
    if (o.kafkaPort() != DevstackOptions.DEFAULT_KAFKA_PORT) {
      line.append(" --bootstrap-servers 127.0.0.1:").append(o.kafkaPort());
    }
    return line.toString();
  }

  private static String ranges(List<Integer> partitions) {
    StringBuilder text = new StringBuilder();
    int start = partitions.get(0);
    int previous = start;
    for (int i = 1; i <= partitions.size(); i++) {
      if (i < partitions.size() && partitions.get(i) == previous + 1) {
        previous = partitions.get(i);
        continue;
      }
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(start == previous ? Integer.toString(start) : start + "-" + previous);
      if (i < partitions.size()) {
        start = partitions.get(i);
        previous = start;
      }
    }
    return text.toString();
  }
}
