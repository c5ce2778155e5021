package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SuiteOptionsTest {

  @Test
  void readRowsMustGiveEveryOwnerAndLocationAFullPage() {
    assertThat(options(150_000, 1_000).readRows()).isEqualTo(150_000);
    assertThatThrownBy(() -> options(149_999, 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--read-rows must be at least 150 x --read-keys (150000) so that every routed read"
                + " finds a full page of 50, was 149999");
  }

  @Test
  void theDevstackPortsMustFitBelow65536() {
    assertThatThrownBy(() -> options(150, 1, 65_530))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--base-port must be between 1024 and 65527, was 65530");
  }

  private static SuiteOptions options(long readRows, long readKeys) {
    return options(readRows, readKeys, SuiteOptions.DEFAULT_BASE_PORT);
  }

  private static SuiteOptions options(long readRows, long readKeys, int basePort) {
    Path dir = Path.of("target");
    return new SuiteOptions(
        dir,
        dir,
        null,
        Duration.ofSeconds(60),
        Duration.ZERO,
        Duration.ZERO,
        1,
        readRows,
        readKeys,
        1,
        1,
        1,
        1,
        1,
        basePort,
        4,
        1,
        1,
        Duration.ofSeconds(60),
        EnumSet.allOf(Figure.class));
  }
}
