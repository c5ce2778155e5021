package dev.shardpipe.loadgen.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void readsMillisecondsFromAHistogramOfMicroseconds() {
    Histogram histogram = Percentiles.histogram();
    for (int ms = 1; ms <= 1000; ms++) {
      Percentiles.record(histogram, ms * 1_000_000L);
    }

    Percentiles p = Percentiles.of(histogram);

    assertThat(p.count()).isEqualTo(1000);
    assertThat(p.p50()).isEqualTo(500, offset(1.0));
    assertThat(p.p90()).isEqualTo(900, offset(1.0));
    assertThat(p.p99()).isEqualTo(990, offset(1.0));
    assertThat(p.p999()).isEqualTo(999, offset(1.0));
    assertThat(p.max()).isEqualTo(1000, offset(1.0));
    assertThat(p.mean()).isEqualTo(500.5, offset(1.0));
  }

  @Test
  void clampsNegativeAndHugeDurationsToTheHistogramsRange() {
    Histogram histogram = Percentiles.histogram();
    Percentiles.record(histogram, -5);
    Percentiles.record(histogram, Long.MAX_VALUE);

    Percentiles p = Percentiles.of(histogram);

    assertThat(p.count()).isEqualTo(2);
    assertThat(p.p50()).isZero();
    assertThat(p.max()).isEqualTo(Percentiles.HIGHEST_MICROS / 1000.0, offset(3600.0));
  }

  @Test
  void givesZerosForAnEmptyHistogram() {
    assertThat(Percentiles.of(Percentiles.histogram()))
        .isEqualTo(new Percentiles(0, 0, 0, 0, 0, 0, 0));
  }
}
