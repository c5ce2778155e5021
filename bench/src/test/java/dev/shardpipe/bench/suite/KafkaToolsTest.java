package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaToolsTest {

  /** As Kafka 4.3.1's ProducerPerformance printed it in a suite run: a periodic line, the total. */
  private static final String PRODUCER_OUTPUT =
      "Option --producer-props has been deprecated and will be removed in a future version.\n"
          + "24996 records sent, 4999.2 records/sec (1.75 MB/sec), 30.1 ms avg latency, 460.0 ms"
          + " max latency.\n"
          + "25000 records sent, 4957.366647 records/sec (1.74 MB/sec), 30.09 ms avg latency,"
          + " 460.00 ms max latency, 4 ms 50th, 200 ms 95th, 287 ms 99th, 312 ms 99.9th.\n";

  /** As Kafka 4.3.1's EndToEndLatency printed it, with a consumer warning after it. */
  private static final String END_TO_END_OUTPUT =
      "8000\t0.523775\n"
          + "9000\t0.437397\n"
          + "Avg latency: 1.2976 ms\n"
          + "Percentiles: 50th = 0, 99th = 9, 99.9th = 18\n"
          + "11:37:14.981 WARN  o.a.k.c.c.i.ConsumerCoordinator - Offset commit failed\n";

  @Test
  void producerPerformanceTotalsComeFromTheLineWithPercentiles() {
    KafkaTools.ProducerResult result = KafkaTools.parseProducerPerformance(PRODUCER_OUTPUT);

    assertThat(result).isEqualTo(new KafkaTools.ProducerResult(25_000, 4957.366647, 4, 287, 460));
  }

  @Test
  void producerPerformanceWithoutTotalsIsNull() {
    assertThat(
            KafkaTools.parseProducerPerformance(PRODUCER_OUTPUT.lines().skip(1).findFirst().get()))
        .isNull();
  }

  @Test
  void endToEndLatencyReadsAverageAndPercentiles() {
    assertThat(KafkaTools.parseEndToEndLatency(END_TO_END_OUTPUT))
        .isEqualTo(new KafkaTools.EndToEndResult(1.2976, 0, 9, 18));
  }

  @Test
  void endToEndLatencyCutShortIsNull() {
    assertThat(KafkaTools.parseEndToEndLatency("8000\t0.523775\nAvg latency: 1.2976 ms\n"))
        .isNull();
  }
}
