package dev.shardpipe.shardctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the catalog: connects, runs, and closes every connection. */
abstract class SessionCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (Session session = Session.open(connection)) {
      return run(session, spec.commandLine().getOut());
    }
  }

  /**
   * Does the command's work.
   *
   * @return the exit status, 0 when done
   */
  abstract int run(Session session, PrintWriter out) throws Exception;

  /** Where warnings and progress go. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
