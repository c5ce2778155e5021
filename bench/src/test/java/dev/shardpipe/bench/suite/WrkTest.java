package dev.shardpipe.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkTest {

  @Test
  void readsTheLineOfReportLua() {
    String output =
        "Running 30s test @ http://127.0.0.1:28080\n"
            + "  2 threads and 16 connections\n"
            + "Requests/sec:   4698.12\n"
            + "RESULT tweet_single requests=141344 failed=3 seconds=30.1 requests_per_s=4698"
            + " events_per_s=4698 p50_ms=3.18 p90_ms=4.78 p99_ms=8.35 p999_ms=13.54"
            + " max_ms=27.13\n";

    assertThat(Wrk.parse(output)).isEqualTo(new Wrk.Result(141_344, 3, 4698, 3.18, 8.35));
  }

  @Test
  void outputWithoutTheLineIsNull() {
    assertThat(Wrk.parse("unable to connect to 127.0.0.1:28080 Connection refused\n")).isNull();
  }
}
