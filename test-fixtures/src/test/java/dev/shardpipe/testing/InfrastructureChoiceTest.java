package dev.shardpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class InfrastructureChoiceTest {

  private static final BooleanSupplier DOCKER = () -> true;
  private static final BooleanSupplier NO_DOCKER = () -> false;

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "auto", "AUTO", " Auto "})
  void choosesContainersWhenDockerIsReachableAndNothingIsAsked(String property) {
    InfrastructureChoice choice = InfrastructureChoice.choose(property, DOCKER);

    assertThat(choice.kind()).isEqualTo(InfrastructureKind.CONTAINERS);
    assertThat(choice.reason())
        .isEqualTo(
            "a Docker engine is reachable; shardpipe.test.infrastructure=embedded overrides");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "auto"})
  void choosesEmbeddedWhenNoDockerIsReachableAndNothingIsAsked(String property) {
    InfrastructureChoice choice = InfrastructureChoice.choose(property, NO_DOCKER);

    assertThat(choice.kind()).isEqualTo(InfrastructureKind.EMBEDDED);
    assertThat(choice.reason())
        .isEqualTo(
            "no Docker engine is reachable; shardpipe.test.infrastructure=containers requires one");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "EMBEDDED", " embedded "})
  void embeddedWhenAskedWithoutProbingDocker(String property) {
    AtomicInteger probes = new AtomicInteger();

    InfrastructureChoice choice =
        InfrastructureChoice.choose(
            property,
            () -> {
              probes.incrementAndGet();
              return true;
            });

    assertThat(choice.kind()).isEqualTo(InfrastructureKind.EMBEDDED);
    assertThat(choice.reason()).isEqualTo("shardpipe.test.infrastructure=embedded");
    assertThat(probes).hasValue(0);
  }

  @Test
  void containersWhenAskedAndDockerIsReachable() {
    InfrastructureChoice choice = InfrastructureChoice.choose("containers", DOCKER);

    assertThat(choice.kind()).isEqualTo(InfrastructureKind.CONTAINERS);
    assertThat(choice.reason()).isEqualTo("shardpipe.test.infrastructure=containers");
  }

  @Test
  void refusesContainersWhenNoDockerIsReachable() {
    assertThatThrownBy(() -> InfrastructureChoice.choose("containers", NO_DOCKER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "shardpipe.test.infrastructure=containers, but Testcontainers finds no reachable"
                + " Docker engine; start one, or set shardpipe.test.infrastructure=embedded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "testcontainers", "embeded"})
  void refusesAnUnknownValueByName(String property) {
    assertThatThrownBy(() -> InfrastructureChoice.choose(property, DOCKER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shardpipe.test.infrastructure must be auto, embedded or containers, was \""
                + property
                + "\"");
  }
}
