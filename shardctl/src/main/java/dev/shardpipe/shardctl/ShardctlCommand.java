package dev.shardpipe.shardctl;

import dev.shardpipe.catalog.CatalogRefusedException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/shardctl}: adds, moves, rebalances, drains and removes shards while traffic flows
 * (docs/elasticity.md). Exits 0 when done, 1 with a one-line reason when the catalog refuses or a
 * step fails, 2 on a usage error.
 */
@Command(
    name = "shardctl",
    mixinStandardHelpOptions = true,
    subcommands = {
      StatusCommand.class,
      AddShardCommand.class,
      MoveCommand.class,
      RebalanceCommand.class,
      DrainCommand.class,
      RemoveShardCommand.class,
      ResumeCommand.class,
      AbortCommand.class,
      DlqCommand.class,
      TokenCommand.class,
    },
    description = {
      "Changes which shard holds which partition while the pipeline runs: one command per step;"
          + " and mints bearer tokens for the HTTP services (token)."
    })
public final class ShardctlCommand implements Runnable {

  /** Exit status when a command was refused or failed: {@value}. */
  public static final int FAILED = 1;

  /** Exit status of a usage error: {@value}. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  /**
   * Runs a command and exits with its status.
   *
   * @param args the command line; {@code --help} lists the commands
   */
  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /**
   * Runs a command.
   *
   * @param args the command line
   * @param out where results go
   * @param err where warnings, progress and the reason of a failure go
   * @return the exit status: 0 done, {@value #FAILED} refused or failed, {@value #USAGE} usage
   *     error
   */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new ShardctlCommand());
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("shardctl: " + reason(e));
          commandLine.getErr().flush();
          return FAILED;
        });
    return line.execute(args);
  }

  /** One line for a failure: the refusal as the catalog words it, else the root cause. */
  static String reason(Throwable e) {
    if (e instanceof CatalogRefusedException || e instanceof ShardctlException) {
      return e.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command");
  }
}
