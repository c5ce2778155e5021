package dev.shardpipe.devstack;

import io.micronaut.core.annotation.Nullable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the devstack finds the services' jars, each a thin jar with its dependencies in a {@code
 * lib} directory beside it (docs/development.md). Two layouts: a distribution, every jar in one
 * directory ({@code <dir>/shard-writer.jar}, {@code <dir>/ingest-api.jar}, {@code
 * <dir>/query-service.jar}, {@code <dir>/lib/}), and a built checkout ({@code
 * <root>/<module>/target/<module>.jar}). {@link #locate} chooses as docs/operations.md says.
 *
 * @param directory the distribution's directory, or the checkout's root
 * @param sourceTree true for a checkout's layout
 */
public record ServiceJars(Path directory, boolean sourceTree) {

  /** The environment variable naming the directory of the jars: {@value}. */
  public static final String VARIABLE = "SHARDPIPE_SERVICE_JARS";

  /** The services the devstack runs from their jars. */
  public static final List<String> MODULES = List.of("shard-writer", "ingest-api", "query-service");

  /**
   * Checks the directory.
   *
   * @throws NullPointerException if it is null
   */
  public ServiceJars {
    Objects.requireNonNull(directory, "directory");
  }

  /**
   * Returns the jars of a distribution.
   *
   * @param directory holds {@code <module>.jar} of every service and their {@code lib/}
   * @return the jars there
   */
  public static ServiceJars in(Path directory) {
    return new ServiceJars(directory.toAbsolutePath().normalize(), false);
  }

  /**
   * Returns the jars of a built checkout.
   *
   * @param root the repository root, holding {@code <module>/target/<module>.jar}
   * @return the jars there
   */
  public static ServiceJars sourceTree(Path root) {
    return new ServiceJars(root.toAbsolutePath().normalize(), true);
  }

  /**
   * Finds the jars of the devstack this code runs in: the directory given ({@code --service-jars}),
   * else the one {@value #VARIABLE} names, else the directory of {@code devstack.jar} when the
   * services' jars are beside it (an unpacked distribution), else the checkout this code was built
   * in, found above its location ({@code <root>/devstack/target/devstack.jar}, or {@code
   * target/classes} in tests).
   *
   * @param given the directory the user named, or null
   * @param variable the value of {@value #VARIABLE}, or null when unset
   * @return where the jars are; whether they exist is {@link #requireBuilt}'s to say
   * @throws IllegalStateException if nothing is given and no layout is found, naming the ways to
   *     say where the jars are
   */
  public static ServiceJars locate(@Nullable Path given, @Nullable String variable) {
    Path code;
    try {
      code = Path.of(ServiceJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the devstack's code is", e);
    }
    return locate(given, variable, code);
  }

  /**
   * {@link #locate(Path, String)} from a given code location.
   *
   * @param given the directory the user named, or null
   * @param variable the value of {@value #VARIABLE}, or null when unset
   * @param code where the devstack's classes were loaded from: its jar or a classes directory
   * @return where the jars are
   * @throws IllegalStateException if no layout is found
   */
  static ServiceJars locate(@Nullable Path given, @Nullable String variable, Path code) {
    if (given != null) {
      return in(given);
    }
    if (variable != null && !variable.isBlank()) {
      return in(Path.of(variable));
    }
    if (Files.isRegularFile(code) && code.getParent() != null) {
      ServiceJars beside = in(code.getParent());
      if (beside.built()) {
        return beside;
      }
    }
    Optional<Path> checkout = checkoutAbove(code);
    if (checkout.isPresent()) {
      return sourceTree(checkout.get());
    }
    throw new IllegalStateException(
        "cannot find the services' jars: none beside "
            + code
            + " and no shardpipe checkout above it; pass --service-jars <directory with "
            + String.join(".jar, ", MODULES)
            + ".jar and lib/> or set "
            + VARIABLE);
  }

  /**
   * Returns the checkout a path lies in: its first ancestor (or itself) holding the repository's
   * {@code pom.xml} and the service modules.
   *
   * @param path a file or directory
   * @return the checkout's root, or empty outside a checkout
   */
  static Optional<Path> checkoutAbove(Path path) {
    for (Path dir = path; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shard-writer"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns a service's jar.
   *
   * @param module the service's module, one of {@link #MODULES}
   * @return its path in this layout, whether or not it exists
   */
  public Path jar(String module) {
    return sourceTree
        ? directory.resolve(module).resolve("target").resolve(module + ".jar")
        : directory.resolve(module + ".jar");
  }

  /**
   * Checks that every service's jar and the {@code lib} beside it are there.
   *
   * @throws IllegalArgumentException naming the first missing jar and how to build or point to it
   */
  public void requireBuilt() {
    for (String module : MODULES) {
      Path jar = jar(module);
      if (!isBuilt(jar)) {
        throw new IllegalArgumentException(
            jar
                + " is missing"
                + (sourceTree
                    ? "; build the services first with: mvn -q -DskipTests package (from "
                        + directory
                        + ")"
                    : " (or its lib/ beside it); --service-jars or " + VARIABLE + " names this"));
      }
    }
  }

  private boolean built() {
    return MODULES.stream().allMatch(module -> isBuilt(jar(module)));
  }

  private static boolean isBuilt(Path jar) {
    return Files.isRegularFile(jar) && Files.isDirectory(jar.resolveSibling("lib"));
  }
}
