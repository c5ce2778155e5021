package dev.shardpipe.bench.drain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * CPU time used by processes, as the operating system counts it. On a machine shared with other
 * work the wall-clock rates swing with the load; CPU seconds per phase say what each part costs.
 */
final class CpuTime {

  private CpuTime() {}

  /** CPU time of the processes with these ids, those that still run. */
  static Duration of(Collection<Long> pids) {
    Duration total = Duration.ZERO;
    for (long pid : pids) {
      total = total.plus(ProcessHandle.of(pid).map(CpuTime::of).orElse(Duration.ZERO));
    }
    return total;
  }

  /** CPU time of this JVM: the broker, the producer and the JDBC baseline run in it. */
  static Duration ofThisJvm() {
    return of(ProcessHandle.current());
  }

  /**
   * CPU time of a PostgreSQL server: its postmaster and every process it runs now (backends, WAL
   * writer, checkpointer, ...). A backend that exited takes its time with it, so phases keep their
   * connections open until measured.
   */
  static Duration ofPostgres(Path dataDir) throws IOException {
    long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0));
    return ProcessHandle.of(postmaster)
        .map(p -> p.descendants().map(CpuTime::of).reduce(of(p), Duration::plus))
        .orElse(Duration.ZERO);
  }

  private static Duration of(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
