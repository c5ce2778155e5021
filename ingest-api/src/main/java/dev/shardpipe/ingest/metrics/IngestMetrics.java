package dev.shardpipe.ingest.metrics;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.Op;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ingest-api's own meters, exported on {@code /prometheus} next to Micronaut's {@code
 * http_server_requests_seconds}:
 *
 * <ul>
 *   <li>{@value #ACCEPTED}, tags {@code type} and {@code op}: events Kafka acknowledged;
 *   <li>{@value #REJECTED}, tags {@code type} and {@code reason} ({@link Rejection}): events
 *       refused; a body that cannot be split into events counts as one;
 *   <li>{@value #PRODUCE_LATENCY}, tag {@code result} ({@code acknowledged} or {@code failed}):
 *       from handing one record to the producer to Kafka's answer, with a percentile histogram.
 * </ul>
 *
 * <p>Every meter is registered up front, so that a scrape shows zeros rather than nothing.
 */
@Singleton
public final class IngestMetrics {

  /** Counter of acknowledged events: {@value}. */
  public static final String ACCEPTED = "shardpipe.ingest.events.accepted";

  /** Counter of refused events: {@value}. */
  public static final String REJECTED = "shardpipe.ingest.events.rejected";

  /** Timer of one record's produce round trip: {@value}. */
  public static final String PRODUCE_LATENCY = "shardpipe.ingest.produce.latency";

  /** Why events were refused; the {@code reason} tag is the lower-case name. */
  public enum Rejection {
    /** The body or an item broke a rule of docs/contract.md §3, or was not JSON ({@code 400}). */
    INVALID,
    /** The body was over its limit ({@code 413}). */
    TOO_LARGE,
    /** Kafka did not acknowledge within the producer's timeouts ({@code 503}). */
    KAFKA_UNAVAILABLE,
    /** Too many events were already waiting for Kafka ({@code 503}). */
    OVERLOADED,
    /** A partition the events are routed to is over {@code max-lag} ({@code 503}). */
    WRITERS_BEHIND;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<EventKind, Map<Op, Counter>> accepted = new EnumMap<>(EventKind.class);
  private final Map<EventKind, Map<Rejection, Counter>> rejected = new EnumMap<>(EventKind.class);
  private final Timer acknowledged;
  private final Timer failed;

  /**
   * Registers the meters.
   *
   * @param registry Micronaut's meter registry
   */
  public IngestMetrics(MeterRegistry registry) {
    for (EventKind type : EventKind.values()) {
      Map<Op, Counter> byOp = new EnumMap<>(Op.class);
      for (Op op : Op.values()) {
        byOp.put(
            op,
            Counter.builder(ACCEPTED)
                .description("Events Kafka acknowledged (acks=all)")
                .tag("type", type.wireName())
                .tag("op", op.wireName())
                .register(registry));
      }
      accepted.put(type, byOp);
      Map<Rejection, Counter> byReason = new EnumMap<>(Rejection.class);
      for (Rejection reason : Rejection.values()) {
        byReason.put(
            reason,
            Counter.builder(REJECTED)
                .description("Events refused, by reason")
                .tag("type", type.wireName())
                .tag("reason", reason.tag())
                .register(registry));
      }
      rejected.put(type, byReason);
    }
    acknowledged = latency(registry, "acknowledged");
    failed = latency(registry, "failed");
  }

  private static Timer latency(MeterRegistry registry, String result) {
    return Timer.builder(PRODUCE_LATENCY)
        .description("From send() to Kafka's acknowledgement or failure, per record")
        .tag("result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /**
   * Counts events Kafka acknowledged.
   *
   * @param events the events of one request, all acknowledged
   */
  public void accepted(List<? extends Event> events) {
    for (Event event : events) {
      accepted.get(event.type()).get(event.op()).increment();
    }
  }

  /**
   * Counts refused events.
   *
   * @param type their type
   * @param reason why they were refused
   * @param count how many; 1 for a body that could not be split into events
   */
  public void rejected(EventKind type, Rejection reason, int count) {
    rejected.get(type).get(reason).increment(count);
  }

  /**
   * Records one record's produce round trip.
   *
   * @param nanos from {@code send()} to the callback, in nanoseconds
   * @param ok whether Kafka acknowledged the record
   */
  public void produced(long nanos, boolean ok) {
    (ok ? acknowledged : failed).record(nanos, TimeUnit.NANOSECONDS);
  }
}
