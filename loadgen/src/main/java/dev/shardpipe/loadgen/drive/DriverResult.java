package dev.shardpipe.loadgen.drive;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * What a run of {@link LoadDriver} did. Counts cover the whole run, warm-up included; rates and
 * latencies only the measured part (requests due after the warm-up).
 *
 * @param targetEventsPerSecond the fixed rate asked for, or 0 for as fast as the in-flight bound
 *     allows
 * @param maxInFlight the bound on requests in flight
 * @param requests requests started
 * @param requestsOk requests answered successfully
 * @param requestsFailed requests that failed
 * @param failures failed requests per cause ({@code http 503}, {@code connection}, ...)
 * @param eventsOk events of successful requests
 * @param eventsFailed events of failed requests
 * @param unfinished requests still unanswered when the run gave up waiting for them
 * @param measuredSeconds from the end of the warm-up to the last measured answer
 * @param measuredEventsOk events of successful measured requests
 * @param measuredRequestsOk successful measured requests
 * @param eventsPerSecond {@code measuredEventsOk / measuredSeconds}
 * @param requestsPerSecond {@code measuredRequestsOk / measuredSeconds}
 * @param lateRequests measured requests that left more than 1 ms after they were due (the in-flight
 *     bound held them back); their latency counts from when they were due
 * @param latency measured requests' latency, successful ones only, from when each was due
 */
@Serdeable
public record DriverResult(
    double targetEventsPerSecond,
    int maxInFlight,
    long requests,
    long requestsOk,
    long requestsFailed,
    Map<String, Long> failures,
    long eventsOk,
    long eventsFailed,
    long unfinished,
    double measuredSeconds,
    long measuredEventsOk,
    long measuredRequestsOk,
    double eventsPerSecond,
    double requestsPerSecond,
    long lateRequests,
    Percentiles latency) {

  /** Copies the map. */
  public DriverResult {
    failures = Map.copyOf(failures);
  }
}
