package dev.shardpipe.shardctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code shardctl dlq}: the dead-letter topic's commands. */
@Command(
    name = "dlq",
    subcommands = {DlqReplayCommand.class},
    description = "Works on the dead-letter topic, where the writers put records they refuse.")
final class DlqCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: replay");
  }
}
