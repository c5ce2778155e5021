package dev.shardpipe.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** How an {@link EventGenerator} dates each event: its {@code occurred_at}. */
@FunctionalInterface
public interface OccurredAt {

  /**
   * Returns the time of an event.
   *
   * @param n the event's number in its generator, from 0
   * @param random the generator's randomness, for times drawn at random
   * @return its {@code occurred_at}
   */
  Instant at(long n, RandomGenerator random);

  /**
   * The moment each event is made.
   *
   * @param clock the clock read once per event
   * @return the times
   */
  static OccurredAt now(Clock clock) {
    return (n, random) -> clock.instant();
  }

  /**
   * Times a fixed step apart: event {@code n} at {@code start + n * step}.
   *
   * @param start the first event's time
   * @param step the step, positive
   * @return the times, increasing
   * @throws IllegalArgumentException if the step is not positive
   */
  static OccurredAt stepped(Instant start, Duration step) {
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    return (n, random) -> start.plus(step.multipliedBy(n));
  }

  /**
   * Times drawn uniformly from the span before an end, to the millisecond.
   *
   * @param end the latest time
   * @param span how far before it, positive
   * @return the times, in {@code (end - span, end]}
   * @throws IllegalArgumentException if the span is not positive
   */
  static OccurredAt spreadBefore(Instant end, Duration span) {
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("span must be positive, was " + span);
    }
    long millis = span.toMillis();
    return (n, random) -> end.minusMillis((long) (random.nextDouble() * millis));
  }
}
