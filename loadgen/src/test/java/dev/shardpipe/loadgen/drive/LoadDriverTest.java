package dev.shardpipe.loadgen.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.loadgen.sink.SendFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoadDriverTest {

  private static final long MS = 1_000_000;
  private static final long ORIGIN = 5_000 * MS;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  /** Time that moves only when the driver waits or a request says it took a while. */
  static final class FakeTicker implements LoadDriver.Ticker {
    private final AtomicLong now = new AtomicLong(ORIGIN);

    @Override
    public long nanoTime() {
      return now.get();
    }

    @Override
    public void parkNanos(long nanos) {
      now.addAndGet(nanos);
    }

    void advance(long nanos) {
      now.addAndGet(nanos);
    }
  }

  @Test
  void countsOpenLoopLatencyFromWhenEachRequestWasDueSoAStallIsChargedToEveryRequestItDelayed()
      throws Exception {
    FakeTicker ticker = new FakeTicker();
    Map<Long, Timing> timings = new ConcurrentHashMap<>();
    LoadDriver driver = new LoadDriver(settings(10, 1, 1, Duration.ZERO, null), ticker);

    DriverResult result =
        driver.run(
            requests(20, k -> k == 0 ? () -> ticker.advance(1000 * MS) : () -> {}),
            (request, answer, error, timing) -> timings.put(answer, timing));

    assertThat(timings).hasSize(20);
    for (long k = 0; k < 20; k++) {
      assertThat(timings.get(k).intendedNanos())
          .as("request %d due", k)
          .isEqualTo(ORIGIN + k * 100 * MS);
    }
    assertThat(timings.get(0L).latencyNanos()).isEqualTo(1000 * MS);
    assertThat(timings.get(1L).startNanos()).isEqualTo(ORIGIN + 1000 * MS);
    assertThat(timings.get(1L).latencyNanos()).isEqualTo(900 * MS);
    assertThat(timings.get(9L).latencyNanos()).isEqualTo(100 * MS);
    assertThat(timings.get(10L).latencyNanos()).isZero();
    assertThat(timings.get(19L).startNanos()).isEqualTo(ORIGIN + 1900 * MS);
    assertThat(result.lateRequests()).isEqualTo(9);
    assertThat(result.latency().count()).isEqualTo(20);
    assertThat(result.latency().max()).isEqualTo(1000.0, offset(1.0));
    assertThat(result.latency().p90()).isGreaterThanOrEqualTo(700);
  }

  @Test
  void countsClosedLoopLatencyFromWhenEachRequestLeft() throws Exception {
    FakeTicker ticker = new FakeTicker();
    Map<Long, Timing> timings = new ConcurrentHashMap<>();
    LoadDriver driver = new LoadDriver(settings(0, 1, 1, Duration.ZERO, null), ticker);

    DriverResult result =
        driver.run(
            requests(20, k -> k == 0 ? () -> ticker.advance(1000 * MS) : () -> {}),
            (request, answer, error, timing) -> timings.put(answer, timing));

    assertThat(timings.get(0L).latencyNanos()).isEqualTo(1000 * MS);
    assertThat(timings.get(1L).intendedNanos()).isEqualTo(timings.get(1L).startNanos());
    assertThat(timings.get(1L).latencyNanos()).isZero();
    assertThat(result.lateRequests()).isZero();
    assertThat(result.requests()).isEqualTo(20);
  }

  @Test
  void turnsTheEventRateIntoRequestsOfSeveralEvents() throws Exception {
    FakeTicker ticker = new FakeTicker();
    Map<Long, Timing> timings = new ConcurrentHashMap<>();
    LoadDriver driver = new LoadDriver(settings(1000, 100, 1, Duration.ZERO, null), ticker);

    driver.run(
        requests(5, k -> () -> {}),
        (request, answer, error, timing) -> timings.put(answer, timing));

    assertThat(timings.get(4L).intendedNanos()).isEqualTo(ORIGIN + 400 * MS);
  }

  @Test
  void measuresOnlyTheRequestsDueAfterTheWarmup() throws Exception {
    FakeTicker ticker = new FakeTicker();
    LoadDriver driver = new LoadDriver(settings(10, 1, 1, Duration.ofSeconds(1), null), ticker);

    DriverResult result = driver.run(requests(25, k -> () -> {}), (r, a, e, t) -> {});

    assertThat(result.requestsOk()).isEqualTo(25);
    assertThat(result.eventsOk()).isEqualTo(25);
    assertThat(result.measuredRequestsOk()).isEqualTo(15);
    assertThat(result.latency().count()).isEqualTo(15);
    assertThat(result.measuredSeconds()).isEqualTo(1.4, offset(1e-9));
    assertThat(result.eventsPerSecond()).isEqualTo(15 / 1.4, offset(1e-9));
  }

  @Test
  void stopsIssuingWhenTheDurationAfterTheWarmupIsOver() throws Exception {
    FakeTicker ticker = new FakeTicker();
    LoadDriver driver =
        new LoadDriver(settings(10, 1, 1, Duration.ofMillis(500), Duration.ofSeconds(1)), ticker);

    DriverResult result = driver.run(requests(1_000, k -> () -> {}), (r, a, e, t) -> {});

    assertThat(result.requests()).isEqualTo(15);
    assertThat(result.measuredRequestsOk()).isEqualTo(10);
  }

  @Test
  void neverHasMoreRequestsInFlightThanTheBound() throws Exception {
    int bound = 3;
    int total = 30;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger issued = new AtomicInteger();
    BlockingQueue<CompletableFuture<Long>> pending = new LinkedBlockingQueue<>();
    AtomicReference<Throwable> completerFailure = new AtomicReference<>();
    Thread completer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < total; i++) {
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> inFlight.get() == bound || issued.get() == total);
                  CompletableFuture<Long> next = pending.poll(10, TimeUnit.SECONDS);
                  inFlight.decrementAndGet();
                  next.complete((long) i);
                }
              } catch (Throwable e) {
                completerFailure.set(e);
              }
            });
    completer.start();
    LoadDriver driver = new LoadDriver(settings(0, 1, bound, Duration.ZERO, null));
    AtomicLong k = new AtomicLong();

    DriverResult result =
        driver.run(
            () ->
                k.get() == total
                    ? null
                    : new Request<>(
                        1,
                        () -> {
                          k.incrementAndGet();
                          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                          issued.incrementAndGet();
                          CompletableFuture<Long> answer = new CompletableFuture<>();
                          pending.add(answer);
                          return answer;
                        }),
            (r, a, e, t) -> {});
    completer.join(20_000);

    assertThat(completerFailure.get()).isNull();
    assertThat(peak.get()).isEqualTo(bound);
    assertThat(result.requestsOk()).isEqualTo(total);
    assertThat(result.unfinished()).isZero();
    assertThat(result.maxInFlight()).isEqualTo(bound);
  }

  @Test
  void countsFailuresByCauseAndHandsTheCauseToTheCompletion() throws Exception {
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong k = new AtomicLong();
    LoadDriver driver = new LoadDriver(settings(0, 2, 2, Duration.ZERO, null), new FakeTicker());

    DriverResult result =
        driver.run(
            () -> {
              long n = k.getAndIncrement();
              if (n == 4) {
                return null;
              }
              return new Request<Long>(
                  2,
                  () -> {
                    if (n == 1) {
                      return CompletableFuture.failedFuture(new SendFailure("http 503", "busy"));
                    }
                    if (n == 2) {
                      throw new IllegalStateException("broken sink");
                    }
                    return CompletableFuture.completedFuture(n);
                  });
            },
            (request, answer, error, timing) -> {
              if (error != null) {
                errors.add(error);
              }
            });

    assertThat(result.requestsOk()).isEqualTo(2);
    assertThat(result.requestsFailed()).isEqualTo(2);
    assertThat(result.eventsOk()).isEqualTo(4);
    assertThat(result.eventsFailed()).isEqualTo(4);
    assertThat(result.failures())
        .containsExactlyInAnyOrderEntriesOf(Map.of("http 503", 1L, "IllegalStateException", 1L));
    assertThat(errors)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactlyInAnyOrder("SendFailure", "IllegalStateException");
    assertThat(result.latency().count()).isEqualTo(2);
  }

  private static LoadDriver.Settings settings(
      double rate, int eventsPerRequest, int maxInFlight, Duration warmup, Duration duration) {
    return new LoadDriver.Settings(rate, eventsPerRequest, maxInFlight, warmup, duration, DRAIN);
  }

  /** Requests numbered from 0, each answered at once with its number, after its side effect. */
  private static Supplier<Request<Long>> requests(long count, LongFunction<Runnable> effect) {
    AtomicLong k = new AtomicLong();
    return () -> {
      long n = k.getAndIncrement();
      if (n >= count) {
        return null;
      }
      return new Request<>(
          1,
          () -> {
            effect.apply(n).run();
            return CompletableFuture.completedFuture(n);
          });
    };
  }
}
