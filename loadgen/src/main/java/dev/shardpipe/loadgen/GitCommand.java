package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.source.GitHistorySource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadgen git <repository>}: one tweet per commit reachable from HEAD. */
@Command(
    name = "git",
    mixinStandardHelpOptions = true,
    description = {
      "Real tweets from a git history: the subject of every commit reachable from HEAD (cut to"
          + " 280 characters) as text, the author's time-zone offset as location (UTC-10..-3 usa,"
          + " UTC-1..+4 europe, else other), the author's e-mail as a stable owner_id, the author"
          + " date as occurred_at. Ids come from the commit ids: loading twice adds no rows."
    })
final class GitCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "A directory in the repository, such as '.'.")
  private Path repository;

  @Mixin private SendOptions send;

  @Spec private CommandSpec command;

  @Override
  public Integer call() throws Exception {
    SendSettings settings = send.settings();
    GitHistorySource source;
    try {
      source = GitHistorySource.open(repository);
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
    return new IngestRun(settings, System.out, Clock.systemUTC()).run(source);
  }
}
