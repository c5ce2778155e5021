package dev.shardpipe.bench.peer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.RestClient;
import org.apache.kafka.connect.runtime.rest.RestServer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's Connect worker, the main class of its child JVM: Kafka Connect standalone as {@code
 * ConnectStandalone} builds it (plugins, file offset store, {@code Worker}, {@code
 * StandaloneHerder}, one connector from a properties file), without the REST server. That server
 * needs Jetty 12.0, and the bench's classpath has the Jetty 12.1 the Micronaut platform pins; a
 * sink's records never pass through it, so leaving it out changes nothing it measures and shortens
 * start-up by the server's few hundred milliseconds, in the peer's favour.
 *
 * <p>It checks its connector's status every second and exits with status {@value #FAILED} when the
 * connector or a task has failed, the trace in its log, so that the benchmark stops at once.
 */
final class ConnectWorker {

  /** Exit status when the connector or a task failed. */
  static final int FAILED = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
  private static final long CREATE_TIMEOUT_SECONDS = 120;
  private static final long STATUS_MILLIS = 1_000;

  private ConnectWorker() {}

  /**
   * Runs the worker until the JVM is stopped.
   *
   * @param args the worker's properties file, then the connector's
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: ConnectWorker worker.properties connector.properties");
    }
    Map<String, String> workerProps = load(args[0]);
    Map<String, String> connectorProps = load(args[1]);
    Plugins plugins = new Plugins(workerProps);
    plugins.compareAndSwapWithDelegatingLoader();
    StandaloneConfig config = new StandaloneConfig(workerProps);
    // The worker's default policy ("All"), made directly: loading it by name needs Maven's
    // version classes at compile time.
    AllConnectorClientConfigOverridePolicy policy = new AllConnectorClientConfigOverridePolicy();
    policy.configure(config.originals());
    StandaloneHerder herder =
        new HerderFactory().createHerder(config, "bench-peer", plugins, policy, null, null);
    herder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(herder::stop, "connect-worker-stop"));
    String name = connectorProps.get("name");
    FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
    herder.putConnectorConfig(name, connectorProps, false, created);
    try {
      created.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("connector [{}] was not created", name, e);
      System.exit(FAILED);
    }
    LOG.info("connector [{}] created", name);
    while (true) {
      Thread.sleep(STATUS_MILLIS);
      ConnectorStateInfo status = herder.connectorStatus(name);
      Stream.concat(Stream.of(status.connector()), status.tasks().stream())
          .filter(s -> "FAILED".equals(s.state()))
          .findFirst()
          .ifPresent(
              failed -> {
                LOG.error("connector [{}] failed: {}", name, failed.trace());
                System.exit(FAILED);
              });
    }
  }

  /** Reaches {@code ConnectStandalone}'s own assembly of the herder, which is protected. */
  private static final class HerderFactory extends ConnectStandalone {
    @Override
    protected StandaloneHerder createHerder(
        StandaloneConfig config,
        String workerId,
        Plugins plugins,
        ConnectorClientConfigOverridePolicy policy,
        RestServer restServer,
        RestClient restClient) {
      return super.createHerder(config, workerId, plugins, policy, restServer, restClient);
    }
  }

  private static Map<String, String> load(String file) throws IOException {
    return Utils.propsToStringMap(Utils.loadProps(file));
  }
}
