package dev.shardpipe.loadgen.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void makesRequestKDueAtStartPlusKOverTheRate() {
    Schedule schedule = new Schedule(1_000, 4);

    assertThat(schedule.intended(0)).isEqualTo(1_000);
    assertThat(schedule.intended(1)).isEqualTo(1_000 + 250_000_000L);
    assertThat(schedule.intended(400)).isEqualTo(1_000 + 100_000_000_000L);
  }

  @Test
  void roundsFractionalIntervalsWithoutDrift() {
    Schedule schedule = new Schedule(0, 3);

    assertThat(schedule.intended(1)).isEqualTo(333_333_333L);
    assertThat(schedule.intended(3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void refusesARateThatIsNotPositiveAndFinite() {
    for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new Schedule(0, rate))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positive and finite");
    }
  }
}
