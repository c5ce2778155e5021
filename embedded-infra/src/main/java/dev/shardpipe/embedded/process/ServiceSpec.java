package dev.shardpipe.embedded.process;

import java.util.List;

/**
 * One service the devstack runs as its own JVM.
 *
 * @param name the name shown to the user and used for the log file, such as {@code writer-eu}
 * @param module the Maven module whose {@code target/<module>.jar} runs, such as {@code
 *     shard-writer}
 * @param port the HTTP port of the service's health endpoint
 * @param arguments Micronaut command-line properties, such as {@code --shard=eu}
 */
public record ServiceSpec(String name, String module, int port, List<String> arguments) {

  /** Copies the argument list. */
  public ServiceSpec {
    arguments = List.copyOf(arguments);
  }
}
