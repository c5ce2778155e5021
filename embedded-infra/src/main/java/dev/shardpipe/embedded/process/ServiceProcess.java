package dev.shardpipe.embedded.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service running as a child JVM, as it would in production: started from its own jar, logging to
 * its own file, stopped with SIGTERM. It is supervised: when it exits while the devstack runs (a
 * crash, or {@code kill -9} by hand) it is started again after {@value #RESTART_DELAY_MS} ms,
 * unless it keeps dying right after start.
 */
public final class ServiceProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final long RESTART_DELAY_MS = 2_000;
  private static final Duration EARLY_EXIT = Duration.ofSeconds(20);
  private static final int MAX_EARLY_EXITS = 3;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServiceSpec spec;
  private final Path jar;
  private final Path logFile;
  private final List<String> jvmOptions;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  private Process process;
  private Instant startedAt;
  private int earlyExits;
  private boolean stopping;

  /**
   * Prepares the service; nothing runs until {@link #start()}.
   *
   * @param spec what to run
   * @param jar the service's runnable jar, with its {@code lib/} beside it
   * @param logFile where the JVM's output is appended
   * @param jvmOptions JVM options such as {@code -Xmx512m}
   * @param scheduler runs restarts
   * @param clock tells early exits from late ones
   */
  public ServiceProcess(
      ServiceSpec spec,
      Path jar,
      Path logFile,
      List<String> jvmOptions,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.spec = spec;
    this.jar = jar;
    this.logFile = logFile;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /**
   * Starts the JVM.
   *
   * @throws IOException if the JVM cannot be started or the log file cannot be written
   */
  public synchronized void start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(spec.arguments());
    Files.createDirectories(logFile.getParent());
    Files.writeString(
        logFile,
        "==== " + spec.name() + " starting at " + clock.instant() + ": " + command + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(spec.environment());
    process = builder.start();
    startedAt = clock.instant();
    Process started = process;
    started.onExit().thenAccept(this::exited);
  }

  private void exited(Process which) {
    synchronized (this) {
      if (stopping || which != process) {
        return;
      }
      boolean early = Duration.between(startedAt, clock.instant()).compareTo(EARLY_EXIT) < 0;
      earlyExits = early ? earlyExits + 1 : 0;
      if (earlyExits >= MAX_EARLY_EXITS) {
        LOG.error(
            "{} (pid {}) exited with status {} {} times right after starting; not restarting it."
                + " See {}",
            spec.name(),
            which.pid(),
            which.exitValue(),
            earlyExits,
            logFile);
        return;
      }
      LOG.warn(
          "{} (pid {}) exited with status {}; restarting it in {} ms",
          spec.name(),
          which.pid(),
          which.exitValue(),
          RESTART_DELAY_MS);
    }
    scheduler.schedule(this::restart, RESTART_DELAY_MS, TimeUnit.MILLISECONDS);
  }

  private void restart() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      try {
        start();
        LOG.info("{} restarted as pid {}", spec.name(), process.pid());
      } catch (IOException e) {
        LOG.error("{} could not be restarted", spec.name(), e);
      }
    }
  }

  /**
   * Waits until {@code GET /health} answers {@code 200}, which the services do once every indicator
   * (Kafka, the shard databases, the writer loop) is up.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException if the JVM exits or the timeout passes first; the message points
   *     at the log file
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + spec.port() + "/health"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    while (clock.instant().isBefore(deadline)) {
      Process current = currentProcess();
      if (!current.isAlive()) {
        throw new IllegalStateException(
            spec.name()
                + " exited with status "
                + current.exitValue()
                + " while starting; see "
                + logFile);
      }
      try {
        if (HTTP.send(request, BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        spec.name() + " was not healthy within " + timeout + "; see " + logFile);
  }

  /**
   * Stops the JVM with SIGTERM, so that it finishes its batch in flight and closes its clients, and
   * kills it if it has not exited within the timeout. It is not restarted.
   *
   * @param timeout how long to wait for a clean exit
   * @throws InterruptedException if interrupted while waiting
   */
  public void stop(Duration timeout) throws InterruptedException {
    Process current;
    synchronized (this) {
      stopping = true;
      current = process;
    }
    if (current == null || !current.isAlive()) {
      return;
    }
    current.destroy();
    if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("{} did not stop within {}; killing it", spec.name(), timeout);
      current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Kills the JVM with SIGKILL, as a crash or {@code kill -9} would: it gets no chance to finish
   * anything. The supervisor restarts it like any other exit.
   *
   * @return the killed process's id
   * @throws InterruptedException if interrupted while waiting for it to die
   */
  public long kill() throws InterruptedException {
    Process current = currentProcess();
    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return current.pid();
  }

  /**
   * Tells whether the JVM runs now; between an exit and its restart it does not.
   *
   * @return true while the current process is alive
   */
  public boolean isAlive() {
    Process current = currentProcess();
    return current != null && current.isAlive();
  }

  /**
   * Returns the running JVM's process id.
   *
   * @return the pid
   */
  public long pid() {
    return currentProcess().pid();
  }

  /**
   * Returns what runs.
   *
   * @return the spec
   */
  public ServiceSpec spec() {
    return spec;
  }

  /**
   * Returns the log file.
   *
   * @return the path
   */
  public Path logFile() {
    return logFile;
  }

  private synchronized Process currentProcess() {
    return process;
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
