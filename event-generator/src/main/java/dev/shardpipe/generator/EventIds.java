package dev.shardpipe.generator;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How an {@link EventGenerator} gives each event its id. Users send their own ids, and PostgreSQL's
 * cost per row depends on them: a time-ordered id is appended to the right end of the primary key's
 * B-tree, a random one lands on any of its leaf pages (docs/benchmarks.md).
 */
@FunctionalInterface
public interface EventIds {

  /**
   * Returns the id of an event.
   *
   * @param n the event's number in its generator, from 0
   * @param occurredAt the event's {@code occurred_at}
   * @return its id
   */
  UUID id(long n, Instant occurredAt);

  /**
   * Random UUIDv4 ids from their own seeded randomness, apart from the events' content, so that the
   * same seed gives the same events with v4 and with v7 ids but for the ids.
   *
   * @param seed the seed; the same seed gives the same ids in the same order
   * @return the ids
   */
  static EventIds randomV4(long seed) {
    NoArgGenerator ids = Generators.randomBasedGenerator(new Random(seed));
    return (n, occurredAt) -> ids.generate();
  }

  /**
   * Time-ordered UUIDv7 ids (java-uuid-generator's epoch generator) whose time is each event's
   * {@code occurred_at} and whose random bits come from their own seeded randomness: ids as ordered
   * as the events' times, and the same seed and times give the same ids.
   *
   * @param seed the seed
   * @return the ids
   */
  static EventIds timeOrderedV7(long seed) {
    SetClock clock = new SetClock();
    NoArgGenerator ids = Generators.timeBasedEpochGenerator(new Random(seed), clock);
    return (n, occurredAt) -> {
      clock.set(occurredAt.toEpochMilli());
      return ids.generate();
    };
  }

  /**
   * Ids from a supplier that knows nothing of the events, such as a service's own generator.
   *
   * @param ids the supplier
   * @return the ids
   */
  static EventIds from(Supplier<UUID> ids) {
    return (n, occurredAt) -> ids.get();
  }
}
