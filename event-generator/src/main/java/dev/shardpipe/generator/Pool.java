package dev.shardpipe.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Values a generator draws from: with a size, that many made once, on the first draw, and drawn
 * uniformly; with size 0, a fresh one made for every draw. Making a Datafaker value costs
 * microseconds, too much at 100 000 events/s, hence the pool; a benchmark that must not repeat its
 * texts, whose compression in Kafka it measures, makes them fresh.
 */
final class Pool<T> {

  private final int size;
  private final Supplier<T> make;
  private final Random random;
  private List<T> values;

  Pool(int size, Supplier<T> make, Random random) {
    this.size = size;
    this.make = make;
    this.random = random;
  }

  T draw() {
    if (size == 0) {
      return make.get();
    }
    if (values == null) {
      values = new ArrayList<>(size);
      while (values.size() < size) {
        values.add(make.get());
      }
    }
    return values.get(random.nextInt(size));
  }
}
