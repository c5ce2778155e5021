package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.source.EventSource;
import dev.shardpipe.loadgen.source.GeneratedSource;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadgen synthetic}: fake tweets or files from Datafaker, repeatable by seed. */
@Command(
    name = "synthetic",
    mixinStandardHelpOptions = true,
    description = {
      "Fake tweets (locations from real time zones, owners, quotes as texts) or files (realistic"
          + " names, sizes and media types) from Datafaker. The same seed gives the same ids and"
          + " keys, so a rerun adds no rows."
    })
final class SyntheticCommand implements Callable<Integer> {

  /** Default events when neither --count nor --duration is given: {@value}. */
  static final long DEFAULT_COUNT = 10_000;

  /** Default owners (tweets) or users (files) drawn from: {@value}. */
  static final long DEFAULT_KEYS = 100_000;

  /** What to make. */
  enum Kind {
    TWEET,
    FILE
  }

  @Option(
      names = "--type",
      defaultValue = "tweet",
      description = "tweet or file. Default: ${DEFAULT-VALUE}.")
  private Kind type;

  @Option(
      names = "--count",
      description =
          "Events to send. Default: "
              + DEFAULT_COUNT
              + ", or unbounded with --duration (the time decides).")
  private @Nullable Long count;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the fake data and the ids. Default: ${DEFAULT-VALUE}.")
  private long seed;

  @Option(
      names = "--owners",
      defaultValue = "" + DEFAULT_KEYS,
      description =
          "owner_id (tweets) or user_id (files) is drawn from 1..this. Default: ${DEFAULT-VALUE}.")
  private long owners;

  @Mixin private SendOptions send;

  @Spec private CommandSpec command;

  @Override
  public Integer call() throws Exception {
    SendSettings settings = send.settings();
    long events =
        count != null ? count : settings.duration() != null ? Long.MAX_VALUE : DEFAULT_COUNT;
    if (events < 1) {
      throw new ParameterException(command.commandLine(), "--count must be >= 1, was " + events);
    }
    if (owners < 1) {
      throw new ParameterException(command.commandLine(), "--owners must be >= 1, was " + owners);
    }
    EventSource source =
        type == Kind.TWEET
            ? GeneratedSource.tweets(seed, events, owners, Clock.systemUTC())
            : GeneratedSource.files(seed, events, owners, Clock.systemUTC());
    return new IngestRun(settings, System.out, Clock.systemUTC()).run(source);
  }
}
