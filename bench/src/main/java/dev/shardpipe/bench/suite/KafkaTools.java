package dev.shardpipe.bench.suite;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own performance tools from {@code kafka-tools}, run as child JVMs against the suite's
 * broker: they are the references the pipeline's ingest figures are compared with.
 */
final class KafkaTools {

  private static final Pattern PRODUCER_SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg"
              + " latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms"
              + " 99th, (\\d+) ms 99.9th");
  private static final Pattern E2E_AVERAGE = Pattern.compile("Avg latency: ([\\d.]+) ms");
  private static final Pattern E2E_PERCENTILES =
      Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

  private final List<String> classpath;
  private final Path logs;

  /**
   * What {@code ProducerPerformance} printed at its end.
   *
   * @param records records sent
   * @param recordsPerSecond its throughput
   * @param p50 median latency from send to acknowledgement, ms
   * @param p99 99th percentile, ms
   * @param max largest, ms
   */
  record ProducerResult(
      long records, double recordsPerSecond, double p50, double p99, double max) {}

  /**
   * What {@code EndToEndLatency} printed: one record at a time, produced and consumed back.
   *
   * @param average mean, ms
   * @param p50 median, ms (whole milliseconds, as the tool prints)
   * @param p99 99th percentile, ms
   * @param p999 99.9th percentile, ms
   */
  record EndToEndResult(double average, long p50, long p99, long p999) {}

  KafkaTools(List<String> classpath, Path logs) {
    this.classpath = List.copyOf(classpath);
    this.logs = logs;
  }

  /**
   * Runs {@code org.apache.kafka.tools.ProducerPerformance}.
   *
   * @param throughput records/s, or -1 for as fast as it can
   * @param payloads a file of record values, one per line; the tool picks one at random per record
   * @param producer producer settings
   */
  ProducerResult producerPerformance(
      String bootstrap,
      String topic,
      long records,
      long throughput,
      Path payloads,
      Map<String, String> producer,
      String name)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(jvm("org.apache.kafka.tools.ProducerPerformance"));
    args.addAll(
        List.of(
            "--topic",
            topic,
            "--num-records",
            Long.toString(records),
            "--throughput",
            Long.toString(throughput),
            "--payload-file",
            payloads.toString(),
            "--command-property",
            "bootstrap.servers=" + bootstrap));
    producer.forEach((k, v) -> args.add(k + "=" + v));
    Path log = logs.resolve(name + ".log");
    int exit = ChildJvm.run(args, log, Duration.ofMinutes(10));
    ProducerResult result = parseProducerPerformance(Files.readString(log));
    if (exit != 0 || result == null) {
      throw new IllegalStateException(
          "ProducerPerformance exited with " + exit + " and no summary; see " + log);
    }
    return result;
  }

  /**
   * Reads ProducerPerformance's output.
   *
   * @param output what it printed
   * @return its last line of totals (the periodic lines have no percentiles), or null if none
   */
  static @Nullable ProducerResult parseProducerPerformance(String output) {
    Matcher m = PRODUCER_SUMMARY.matcher(output);
    ProducerResult result = null;
    while (m.find()) {
      result =
          new ProducerResult(
              Long.parseLong(m.group(1)),
              Double.parseDouble(m.group(2)),
              Double.parseDouble(m.group(6)),
              Double.parseDouble(m.group(8)),
              Double.parseDouble(m.group(5)));
    }
    return result;
  }

  /**
   * Runs {@code org.apache.kafka.tools.EndToEndLatency} with {@code acks=all}: one record at a
   * time, produced and consumed back, so its latency is Kafka's floor under any pipeline's.
   *
   * @param records round trips
   * @param recordSize bytes of each record's random value
   */
  EndToEndResult endToEndLatency(String bootstrap, String topic, long records, int recordSize)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(jvm("org.apache.kafka.tools.EndToEndLatency"));
    args.addAll(
        // Kafka 4.3's EndToEndLatency takes positional arguments only.
        List.of(bootstrap, topic, Long.toString(records), "all", Integer.toString(recordSize)));
    Path log = logs.resolve("kafka-end-to-end-latency.log");
    int exit = ChildJvm.run(args, log, Duration.ofMinutes(10));
    EndToEndResult result = parseEndToEndLatency(Files.readString(log));
    if (exit != 0 || result == null) {
      throw new IllegalStateException(
          "EndToEndLatency exited with " + exit + " and no summary; see " + log);
    }
    return result;
  }

  /**
   * Reads EndToEndLatency's output.
   *
   * @param output what it printed
   * @return its average and percentiles, or null if it printed none
   */
  static @Nullable EndToEndResult parseEndToEndLatency(String output) {
    Matcher average = E2E_AVERAGE.matcher(output);
    Matcher percentiles = E2E_PERCENTILES.matcher(output);
    if (!average.find() || !percentiles.find()) {
      return null;
    }
    return new EndToEndResult(
        Double.parseDouble(average.group(1)),
        Long.parseLong(percentiles.group(1)),
        Long.parseLong(percentiles.group(2)),
        Long.parseLong(percentiles.group(3)));
  }

  private List<String> jvm(String mainClass) {
    return List.of(
        "-Xmx512m", "-cp", String.join(java.io.File.pathSeparator, classpath), mainClass);
  }
}
