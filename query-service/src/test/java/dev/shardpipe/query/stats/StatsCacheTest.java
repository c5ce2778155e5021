package dev.shardpipe.query.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatsCacheTest {

  private final MutableClock clock = new MutableClock();
  private final AtomicInteger collections = new AtomicInteger();
  private final List<Runnable> queued = new ArrayList<>();

  private Stats collect() {
    return new Stats(
        "t" + collections.incrementAndGet(),
        1,
        true,
        true,
        List.of(),
        List.of(),
        null,
        null,
        false,
        List.of(),
        List.of());
  }

  @Test
  void servesOneCollectionToEveryRequestWithinTheMaxAge() throws Exception {
    StatsCache cache = new StatsCache(this::collect, Runnable::run, clock, Duration.ofSeconds(1));
    assertThat(cache.get().get().topic()).isEqualTo("t1");
    clock.advance(Duration.ofMillis(1000));
    for (int i = 0; i < 50; i++) {
      assertThat(cache.get().get().topic()).isEqualTo("t1");
    }
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get().get().topic()).isEqualTo("t2");
    assertThat(collections).hasValue(2);
  }

  @Test
  void requestsDuringACollectionShareIt() throws Exception {
    StatsCache cache = new StatsCache(this::collect, queued::add, clock, Duration.ofSeconds(1));
    CompletableFuture<Stats> first = cache.get();
    CompletableFuture<Stats> second = cache.get();
    assertThat(second).isSameAs(first);
    assertThat(queued).hasSize(1);
    queued.remove(0).run();
    assertThat(first.get().topic()).isEqualTo("t1");
    assertThat(collections).hasValue(1);
  }

  @Test
  void keepsNoFailedCollection() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    StatsCache cache =
        new StatsCache(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("shards overloaded");
              }
              return collect();
            },
            Runnable::run,
            clock,
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> cache.get().get()).hasRootCauseMessage("shards overloaded");
    assertThat(cache.get().get().topic()).isEqualTo("t1");
  }

  /** A clock that moves only when told to. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-21T12:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
