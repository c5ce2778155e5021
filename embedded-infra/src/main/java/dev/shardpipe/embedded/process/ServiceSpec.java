package dev.shardpipe.embedded.process;

import java.util.List;
import java.util.Map;

/**
 * One service the devstack runs as its own JVM.
 *
 * @param name the name shown to the user and used for the log file, such as {@code writer-eu}
 * @param module the Maven module whose {@code target/<module>.jar} runs, such as {@code
 *     shard-writer}
 * @param port the HTTP port of the service's health endpoint
 * @param arguments Micronaut command-line properties, such as {@code --shard=eu}
 * @param environment variables added to the JVM's environment: settings that must not show in the
 *     process list, such as a secret
 */
public record ServiceSpec(
    String name, String module, int port, List<String> arguments, Map<String, String> environment) {

  /** Copies the argument list and the environment. */
  public ServiceSpec {
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
  }

  /**
   * A service that needs no environment of its own.
   *
   * @param name the name shown to the user and used for the log file
   * @param module the Maven module whose jar runs
   * @param port the HTTP port of the service's health endpoint
   * @param arguments Micronaut command-line properties
   */
  public ServiceSpec(String name, String module, int port, List<String> arguments) {
    this(name, module, port, arguments, Map.of());
  }
}
