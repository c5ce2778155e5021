package dev.shardpipe.devstack;

import java.io.IOException;
import java.nio.file.Path;

/** The devstack the ITs start: the defaults, on free ports, with authentication on. */
final class TestDevstacks {

  private TestDevstacks() {}

  /**
   * Options for a devstack of the built jars in {@code dataDir}.
   *
   * @param dataDir the test's own data directory
   * @return the options: default routing and placement, every port free, auth on
   * @throws IOException if no free port can be found
   */
  static DevstackOptions options(Path dataDir) throws IOException {
    return DevstackOptions.builder()
        .serviceJars(ServiceJars.sourceTree(Path.of(System.getProperty("shardpipe.root"))))
        .dataDir(dataDir)
        .freePorts()
        .build();
  }
}
