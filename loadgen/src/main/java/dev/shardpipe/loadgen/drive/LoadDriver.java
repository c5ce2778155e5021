package dev.shardpipe.loadgen.drive;

import dev.shardpipe.loadgen.sink.SendFailure;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Issues requests from one thread and records their answers.
 *
 * <p>At a fixed rate the run is open-loop: request {@code k} is due at {@link Schedule#intended},
 * whatever happened to the requests before it, and its latency counts from then. At most {@code
 * maxInFlight} requests are unanswered at once; when the bound is reached the next request waits,
 * so it leaves late, and its latency still counts from when it was due (coordinated omission is not
 * hidden). Without a rate the run is closed-loop: a request leaves as soon as one of the {@code
 * maxInFlight} slots is free and its latency counts from then.
 *
 * <p>Requests due during the warm-up are sent but not measured. The run ends when the requests run
 * out or {@code warmup + duration} has passed, then waits up to {@code drainTimeout} for the
 * answers.
 */
public final class LoadDriver {

  private static final long LATE_NANOS = 1_000_000;

  private final Settings settings;
  private final Ticker ticker;

  /** The time a run reads and waits on; tests pass one that advances without sleeping. */
  interface Ticker {

    /** The system's monotonic clock and {@link LockSupport#parkNanos}. */
    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void parkNanos(long nanos) {
            LockSupport.parkNanos(nanos);
          }
        };

    /**
     * Reads the time.
     *
     * @return nanoseconds from an arbitrary origin, as {@link System#nanoTime()}
     */
    long nanoTime();

    /**
     * Waits; may return earlier.
     *
     * @param nanos the longest wait in nanoseconds
     */
    void parkNanos(long nanos);
  }

  /**
   * How to drive.
   *
   * @param eventsPerSecond a fixed rate in events per second, or 0 for closed-loop
   * @param eventsPerRequest events each request carries, to turn the rate into requests per second
   * @param maxInFlight requests unanswered at once, {@code >= 1}
   * @param warmup sent but not measured, from the start
   * @param duration measured time after the warm-up, or null to run until the requests run out
   * @param drainTimeout how long to wait for the last answers
   */
  public record Settings(
      double eventsPerSecond,
      int eventsPerRequest,
      int maxInFlight,
      Duration warmup,
      @Nullable Duration duration,
      Duration drainTimeout) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public Settings {
      if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond)) {
        throw new IllegalArgumentException("--rate must be >= 0, was " + eventsPerSecond);
      }
      if (eventsPerRequest < 1) {
        throw new IllegalArgumentException(
            "events per request must be >= 1, was " + eventsPerRequest);
      }
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("--concurrency must be >= 1, was " + maxInFlight);
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
      }
      if (duration != null && (duration.isNegative() || duration.isZero())) {
        throw new IllegalArgumentException("--duration must be positive, was " + duration);
      }
    }
  }

  /**
   * Prepares a run.
   *
   * @param settings how to drive
   */
  public LoadDriver(Settings settings) {
    this(settings, Ticker.SYSTEM);
  }

  LoadDriver(Settings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
  }

  /**
   * Runs until the requests run out or the time is up, and waits for the answers.
   *
   * @param requests gives the next request, or null when there is none
   * @param completion told about every answer
   * @param <R> what an answer is
   * @return what happened
   * @throws InterruptedException if interrupted; requests in flight are abandoned
   */
  public <R> DriverResult run(Supplier<@Nullable Request<R>> requests, Completion<R> completion)
      throws InterruptedException {
    Semaphore slots = new Semaphore(settings.maxInFlight());
    Histogram latency = Percentiles.histogram();
    Map<String, Long> failures = new ConcurrentHashMap<>();
    AtomicLong requestsOk = new AtomicLong();
    AtomicLong requestsFailed = new AtomicLong();
    AtomicLong eventsOk = new AtomicLong();
    AtomicLong eventsFailed = new AtomicLong();
    AtomicLong measuredEventsOk = new AtomicLong();
    AtomicLong measuredRequestsOk = new AtomicLong();
    AtomicLong lastMeasuredAnswer = new AtomicLong(Long.MIN_VALUE);
    long late = 0;
    long started = 0;

    long start = ticker.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long stopAt =
        settings.duration() == null ? Long.MAX_VALUE : measureFrom + settings.duration().toNanos();
    Schedule schedule =
        settings.eventsPerSecond() > 0
            ? new Schedule(start, settings.eventsPerSecond() / settings.eventsPerRequest())
            : null;

    for (long k = 0; ; k++) {
      long due = schedule == null ? ticker.nanoTime() : schedule.intended(k);
      if (due >= stopAt) {
        break;
      }
      Request<R> request = requests.get();
      if (request == null) {
        break;
      }
      for (long wait = due - ticker.nanoTime(); wait > 0; wait = due - ticker.nanoTime()) {
        ticker.parkNanos(wait);
      }
      slots.acquire();
      long leaves = ticker.nanoTime();
      long intended = schedule == null ? leaves : due;
      boolean measured = intended >= measureFrom;
      if (measured && leaves - intended > LATE_NANOS) {
        late++;
      }
      started++;
      CompletableFuture<R> answer;
      try {
        answer = request.start().get();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete(
          (result, error) -> {
            long end = ticker.nanoTime();
            Timing timing = new Timing(intended, leaves, end, measured);
            try {
              if (error == null) {
                requestsOk.incrementAndGet();
                eventsOk.addAndGet(request.events());
                if (measured) {
                  Percentiles.record(latency, timing.latencyNanos());
                  measuredEventsOk.addAndGet(request.events());
                  measuredRequestsOk.incrementAndGet();
                  lastMeasuredAnswer.accumulateAndGet(end, Math::max);
                }
              } else {
                requestsFailed.incrementAndGet();
                eventsFailed.addAndGet(request.events());
                failures.merge(cause(error), 1L, Long::sum);
                if (measured) {
                  lastMeasuredAnswer.accumulateAndGet(end, Math::max);
                }
              }
              completion.done(request, result, unwrap(error), timing);
            } finally {
              slots.release();
            }
          });
    }
    boolean drained =
        slots.tryAcquire(
            settings.maxInFlight(), settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    long unfinished = drained ? 0 : settings.maxInFlight() - slots.availablePermits();
    long answeredUntil = lastMeasuredAnswer.get();
    double seconds =
        answeredUntil == Long.MIN_VALUE ? 0 : Math.max(0, answeredUntil - measureFrom) / 1e9;
    return new DriverResult(
        settings.eventsPerSecond(),
        settings.maxInFlight(),
        started,
        requestsOk.get(),
        requestsFailed.get(),
        failures,
        eventsOk.get(),
        eventsFailed.get(),
        unfinished,
        seconds,
        measuredEventsOk.get(),
        measuredRequestsOk.get(),
        seconds == 0 ? 0 : measuredEventsOk.get() / seconds,
        seconds == 0 ? 0 : measuredRequestsOk.get() / seconds,
        late,
        Percentiles.of(latency));
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static String cause(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof SendFailure failure ? failure.cause() : e.getClass().getSimpleName();
  }
}
