package dev.shardpipe.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code loadgen <source> [options]} ({@code bin/loadgen}, or {@code java -jar
 * loadgen/target/loadgen.jar}): sends events from a source to the pipeline and reports what
 * happened; {@code loadgen reads} drives read load. See docs/loadgen.md.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    subcommands = {
      SyntheticCommand.class,
      GitCommand.class,
      FilesCommand.class,
      ReadsCommand.class
    },
    description = {
      "Sends real or fake events through ingest-api or straight to Kafka, measures events/s,"
          + " latency and end-to-end freshness, and checks that every event is visible through"
          + " query-service. Exit status 0 only when every event of the source is."
    })
public final class LoadgenCommand {

  private LoadgenCommand() {}

  /**
   * Runs a command.
   *
   * @param args the source or {@code reads}, and options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * Returns the command line, for tests and the benchmark suite.
   *
   * @return a picocli command line that accepts enum values in any case
   */
  public static CommandLine commandLine() {
    return new CommandLine(new LoadgenCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
