package dev.shardpipe.embedded.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real child JVMs: one killed by a signal comes back however often that
 * happens, and one that exits by itself right after starting is given up on.
 */
class ServiceProcessIT {

  /** The child: exits at once with the status given, or sleeps until killed without one. */
  public static final class Child {
    private Child() {}

    /**
     * Runs the child.
     *
     * @param args the exit status, or nothing to sleep
     * @throws InterruptedException never in practice; the child is killed while sleeping
     */
    public static void main(String[] args) throws InterruptedException {
      if (args.length > 0) {
        System.exit(Integer.parseInt(args[0]));
      }
      Thread.sleep(Duration.ofMinutes(5).toMillis());
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private ServiceProcess service;

  @AfterEach
  void stop() throws InterruptedException {
    if (service != null) {
      service.stop(Duration.ofSeconds(5));
    }
    scheduler.shutdownNow();
  }

  @Test
  void startsAgainAProcessKilledBySignalEvenRightAfterItsStart() throws Exception {
    service = process(List.of());
    service.start();
    for (int kill = 0; kill < 4; kill++) {
      await().atMost(WAIT).until(service::isAlive);
      long killed = service.kill();
      await().atMost(WAIT).until(() -> service.isAlive() && service.pid() != killed);
    }
  }

  @Test
  void givesUpOnAProcessThatExitsByItselfRightAfterStartingThreeTimes() throws Exception {
    service = process(List.of("3"));
    service.start();
    await().atMost(WAIT).until(() -> starts() == 3 && !service.isAlive());
    // Longer than the restart delay (2 s): a fourth start would have begun by then.
    Thread.sleep(3_000);
    assertThat(starts()).as("three starts, then none").isEqualTo(3);
    assertThat(service.isAlive()).isFalse();
  }

  private int starts() throws IOException {
    return Files.readString(dir.resolve("child.log")).split("==== child starting", -1).length - 1;
  }

  private ServiceProcess process(List<String> arguments) throws IOException {
    return new ServiceProcess(
        new ServiceSpec("child", "child", 0, arguments),
        childJar(),
        dir.resolve("child.log"),
        List.of("-Xmx32m"),
        scheduler,
        Clock.systemUTC());
  }

  /** A runnable jar of {@link Child}, its class copied from this test's classpath. */
  private Path childJar() throws IOException {
    Path jar = dir.resolve("child.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Child.class.getName());
    String entry = Child.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = Child.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
