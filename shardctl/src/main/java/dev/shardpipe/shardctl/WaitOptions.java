package dev.shardpipe.shardctl;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --wait} and how long to wait, for the commands that move partitions. */
final class WaitOptions {

  /** Default of {@code --timeout}: {@value}. */
  static final String DEFAULT_TIMEOUT = "30m";

  @Option(
      names = "--wait",
      description =
          "Wait until every move is done, with a progress bar (rows copied, then lag), running the"
              + " moves' next steps meanwhile. Without it the command returns once the targets"
              + " catch up, and the writers finish the moves.")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_TIMEOUT,
      converter = DurationConverter.class,
      description =
          "With --wait: give up waiting after this long, such as 90s, 10m or 1h; the moves go on"
              + " (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** Reads {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
  static final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      Matcher m = SHORT.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      try {
        return Duration.parse(value);
      } catch (RuntimeException e) {
        throw new TypeConversionException(
            "\"" + value + "\" is no duration; write it as 90s, 10m or 1h");
      }
    }
  }
}
