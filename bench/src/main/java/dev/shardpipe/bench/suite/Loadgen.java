package dev.shardpipe.bench.suite;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code loadgen/target/loadgen.jar} as a child JVM and reads the JSON summary it writes
 * ({@code --summary-json}); the suite measures through the same tool users run, so every ingest and
 * read figure can be rerun by hand with the command line the log shows.
 */
final class Loadgen {

  private final Path jar;
  private final Path logs;
  private final Path results;

  Loadgen(Path home, Path logs, Path results) {
    this.jar = home.resolve("loadgen").resolve("target").resolve("loadgen.jar");
    this.logs = logs;
    this.results = results;
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar + " is missing; build everything first with: mvn -q -DskipTests package");
    }
  }

  /**
   * Runs one loadgen command.
   *
   * @param name the figure's name: the log is {@code <logs>/loadgen-<name>.log}, the summary {@code
   *     <results>/<name>.json}
   * @param arguments the command and its options, without {@code --summary-json}
   * @param timeout the longest it may run
   * @return the summary, whatever the exit status (failed requests are counted in it)
   * @throws IllegalStateException if loadgen wrote no summary
   */
  JsonNode run(String name, List<String> arguments, Duration timeout)
      throws IOException, InterruptedException {
    Path summary = results.resolve(name + ".json");
    Files.createDirectories(results);
    Files.deleteIfExists(summary);
    List<String> command = new ArrayList<>(List.of("-Xmx1g", "-jar", jar.toString()));
    command.addAll(arguments);
    command.addAll(List.of("--summary-json", summary.toString()));
    Path log = logs.resolve("loadgen-" + name + ".log");
    int exit = ChildJvm.run(command, log, timeout);
    if (!Files.isRegularFile(summary)) {
      throw new IllegalStateException(
          "loadgen " + name + " exited with " + exit + " and wrote no summary; see " + log);
    }
    return JsonMapper.createDefault().readValue(Files.readAllBytes(summary), JsonNode.class);
  }
}
