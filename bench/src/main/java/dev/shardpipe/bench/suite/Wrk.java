package dev.shardpipe.bench.suite;

import io.micronaut.core.annotation.Nullable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} with the scripts in {@code bench/wrk/}: a closed-loop HTTP load generator in
 * C. It costs the two cores far less per request than loadgen's JVM, so next to loadgen's open-loop
 * figure it shows how much of a single-request limit is the load generator's own share of the CPU.
 */
final class Wrk {

  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT \\S+ requests=(\\d+) failed=(\\d+) seconds=[\\d.]+ requests_per_s=(\\d+)"
              + " events_per_s=\\d+ p50_ms=([\\d.]+) p90_ms=[\\d.]+ p99_ms=([\\d.]+)");

  private final Path scripts;
  private final Path logs;

  /**
   * What wrk's {@code report.lua} printed.
   *
   * @param requests requests sent
   * @param failed requests without a 2xx answer, or with a socket error
   * @param requestsPerSecond requests/s
   * @param p50 median latency, ms
   * @param p99 99th percentile, ms
   */
  record Result(long requests, long failed, double requestsPerSecond, double p50, double p99) {}

  Wrk(Path home, Path logs) {
    this.scripts = home.resolve("bench").resolve("wrk");
    this.logs = logs;
  }

  /**
   * Finds {@code wrk} on the {@code PATH}.
   *
   * @return whether it is there
   */
  static boolean installed() {
    return Optional.ofNullable(System.getenv("PATH")).stream()
        .flatMap(path -> Pattern.compile(File.pathSeparator).splitAsStream(path))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk")));
  }

  /**
   * Runs a script against a URL for a while.
   *
   * @param script a script of {@code bench/wrk/}, such as {@code tweet.lua}
   * @param url the service's base URL
   * @param connections connections, each with one request outstanding
   * @param duration how long
   * @param token the bearer token the scripts send (they read {@code SHARDPIPE_TOKEN}), or null
   * @return its result
   * @throws IllegalStateException if wrk fails or prints no result line
   */
  Result run(String script, String url, int connections, Duration duration, @Nullable String token)
      throws IOException, InterruptedException {
    Path log = logs.resolve("wrk-" + script.replace(".lua", "") + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                "wrk",
                "--threads",
                "2",
                "--connections",
                Integer.toString(connections),
                "--duration",
                duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "--latency",
                "--script",
                scripts.resolve(script).toString(),
                url)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    if (token != null) {
      builder.environment().put("SHARDPIPE_TOKEN", token);
    }
    Process process = builder.start();
    if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("wrk did not end in time; see " + log);
    }
    Result result = parse(Files.readString(log));
    if (process.exitValue() != 0 || result == null) {
      throw new IllegalStateException(
          "wrk exited with " + process.exitValue() + " and no result; see " + log);
    }
    return result;
  }

  /**
   * Reads the line {@code report.lua} prints.
   *
   * @param output wrk's output
   * @return the result, or null if there is no such line
   */
  static @Nullable Result parse(String output) {
    Matcher m = RESULT.matcher(output);
    if (!m.find()) {
      return null;
    }
    return new Result(
        Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)),
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        Double.parseDouble(m.group(5)));
  }
}
