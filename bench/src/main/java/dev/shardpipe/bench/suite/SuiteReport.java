package dev.shardpipe.bench.suite;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The suite's output as Markdown, and its place in docs/benchmarks.md: between the lines {@value
 * #BEGIN} and {@value #END}, which the suite replaces with each run's report and nothing else.
 */
final class SuiteReport {

  /** The line after which the report goes. */
  static final String BEGIN = "<!-- bench-suite:begin -->";

  /** The line before which it ends. */
  static final String END = "<!-- bench-suite:end -->";

  private SuiteReport() {}

  static String markdown(SuiteOptions options, List<SuiteRow> rows, String started) {
    StringBuilder out = new StringBuilder();
    out.append("Run started ")
        .append(started)
        .append(" on ")
        .append(machine())
        .append(". Load average is the one-minute figure at the start and the end of each step.")
        .append("\n\n");
    out.append("```bash\nbench/run.sh");
    if (options.measure().toSeconds() != 60) {
      out.append(" --measure ").append(options.measure());
    }
    if (!options.figures().equals(EnumSet.allOf(Figure.class))) {
      out.append(" --only ")
          .append(
              options.figures().stream()
                  .sorted()
                  .map(f -> f.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(",")));
    }
    out.append("\n```\n\n");
    out.append("| figure | value | reference (same run) | reference value | ratio | target | met |")
        .append(" load |\n");
    out.append("|---|---:|---|---:|---:|---|---|---|\n");
    for (SuiteRow row : rows) {
      out.append(row.markdown()).append('\n');
    }
    return out.toString();
  }

  /**
   * Replaces what lies between the markers with the report.
   *
   * @throws IllegalStateException if the file lacks the markers, in that order
   */
  static void writeInto(Path docs, String report) throws IOException {
    String text = Files.readString(docs);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(
          docs + " has no lines " + BEGIN + " and " + END + " to write the report between");
    }
    Files.writeString(
        docs, text.substring(0, begin + BEGIN.length()) + "\n" + report + text.substring(end));
  }

  private static String machine() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %d GiB, %s, %s %s",
        Runtime.getRuntime().availableProcessors(),
        firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")),
        Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)),
        firstValue(Path.of("/etc/os-release"), "PRETTY_NAME")
            .map(name -> name.replace("\"", ""))
            .orElse(System.getProperty("os.name")),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  /** Reads {@code key: value} or {@code KEY=value} from a system file, where there is one. */
  private static Optional<String> firstValue(Path file, String key) {
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(line.contains("=") ? '=' : ':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
