package dev.shardpipe.testing;

import io.micronaut.core.annotation.Nullable;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Which infrastructure a test JVM uses and why, from the value of {@value
 * InfrastructureKind#PROPERTY} and whether a Docker engine is reachable.
 *
 * @param kind the chosen infrastructure
 * @param reason why, for the test log
 */
record InfrastructureChoice(InfrastructureKind kind, String reason) {

  /**
   * Chooses. The Docker probe runs only when the property leaves the choice open or asks for
   * containers, so that {@code embedded} never waits on Docker discovery.
   *
   * @param property the property's value; null or blank means {@code auto}; case-insensitive
   * @param dockerAvailable answers whether a Docker engine is reachable
   * @return the choice and its reason
   * @throws IllegalArgumentException if the value is not {@code auto}, {@code embedded} or {@code
   *     containers}
   * @throws IllegalStateException if the value is {@code containers} and no Docker engine is
   *     reachable
   */
  static InfrastructureChoice choose(@Nullable String property, BooleanSupplier dockerAvailable) {
    String value = property == null ? "" : property.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "embedded":
        return new InfrastructureChoice(
            InfrastructureKind.EMBEDDED, InfrastructureKind.PROPERTY + "=embedded");
      case "containers":
        if (!dockerAvailable.getAsBoolean()) {
          throw new IllegalStateException(
              InfrastructureKind.PROPERTY
                  + "=containers, but Testcontainers finds no reachable Docker engine; start"
                  + " one, or set "
                  + InfrastructureKind.PROPERTY
                  + "=embedded");
        }
        return new InfrastructureChoice(
            InfrastructureKind.CONTAINERS, InfrastructureKind.PROPERTY + "=containers");
      case "", "auto":
        return dockerAvailable.getAsBoolean()
            ? new InfrastructureChoice(
                InfrastructureKind.CONTAINERS,
                "a Docker engine is reachable; "
                    + InfrastructureKind.PROPERTY
                    + "=embedded overrides")
            : new InfrastructureChoice(
                InfrastructureKind.EMBEDDED,
                "no Docker engine is reachable; "
                    + InfrastructureKind.PROPERTY
                    + "=containers requires one");
      default:
        throw new IllegalArgumentException(
            InfrastructureKind.PROPERTY
                + " must be auto, embedded or containers, was \""
                + property
                + "\"");
    }
  }
}
