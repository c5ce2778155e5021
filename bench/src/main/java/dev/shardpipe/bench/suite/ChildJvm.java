package dev.shardpipe.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Java program as a child JVM, its output appended to a log file, and waits for it: the load
 * generator and Kafka's tools each get their own JVM, so that neither competes with the broker for
 * this JVM's heap and threads.
 */
final class ChildJvm {

  private ChildJvm() {}

  /**
   * Runs the program to its end.
   *
   * @param arguments JVM options, then {@code -jar <jar>} or {@code -cp <path> <class>}, then the
   *     program's arguments
   * @param log where its output goes, appended
   * @param timeout the longest it may run; it is killed then
   * @return its exit status
   * @throws IllegalStateException if it runs longer than the timeout
   */
  static int run(List<String> arguments, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(arguments);
    Files.createDirectories(log.getParent());
    Files.writeString(
        log, "==== " + command + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the child JVM ran longer than " + timeout + " and was killed; see " + log);
    }
    return process.exitValue();
  }
}
