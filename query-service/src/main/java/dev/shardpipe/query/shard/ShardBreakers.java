package dev.shardpipe.query.shard;

import dev.failsafe.CircuitBreaker;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per shard (Failsafe's {@link CircuitBreaker}), so that a shard that cannot be
 * reached costs requests nothing while it stays down: after {@code
 * shardpipe.query.breaker-failures} consecutive failed calls the breaker opens and every request
 * skips the shard at once; after {@code shardpipe.query.breaker-delay} one request tries it again
 * (half-open), and its success closes the breaker. The log says once that a shard's circuit opened
 * and once that it closed, instead of a warning per request in between.
 *
 * <p>The breakers follow the placement as the pools do ({@link ShardPools}): a shard's breaker is
 * made when the shard is first asked or a placement names it, and dropped with its gauge when a
 * placement no longer reads the shard, so a shard added later starts closed.
 *
 * <p>Only what says the shard cannot be reached counts as a failure: a timeout or a connection
 * failure. A call that never reached the shard, because its pool's connections were all in use or
 * the executor refused it, says nothing about the shard and does not count; otherwise one client
 * looping an expensive request would cut a healthy shard off for everyone.
 *
 * <p>The state is exported as the gauge {@value #GAUGE} with tag {@code shard}: 0 closed, 1
 * half-open, 2 open.
 */
@Singleton
final class ShardBreakers {

  /** The name of the per-shard breaker state gauge. */
  static final String GAUGE = "shardpipe.query.shard.circuit";

  private static final Logger LOG = LoggerFactory.getLogger(ShardBreakers.class);

  private final QueryConfiguration config;
  private final MeterRegistry meterRegistry;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  @Inject
  ShardBreakers(CatalogWatcher catalog, QueryConfiguration config, MeterRegistry meterRegistry) {
    this(config, meterRegistry);
    follow(catalog.current());
    catalog.addListener(this::follow);
  }

  /** Breakers made as shards are asked, without following a catalog: for tests of the rules. */
  ShardBreakers(QueryConfiguration config, MeterRegistry meterRegistry) {
    this.config = config;
    this.meterRegistry = meterRegistry;
  }

  /**
   * Makes the breakers of a placement's new shards and drops those of shards it no longer reads.
   */
  private synchronized void follow(CatalogSnapshot snapshot) {
    snapshot.shards().forEach(this::of);
    Set<String> wanted = Set.copyOf(snapshot.shards());
    breakers
        .entrySet()
        .removeIf(
            e -> {
              if (wanted.contains(e.getKey())) {
                return false;
              }
              meterRegistry.remove(e.getValue().gauge());
              return true;
            });
  }

  /**
   * Returns a shard's breaker, making it when the shard has none yet.
   *
   * @param shard a shard's name
   * @return its breaker
   */
  CircuitBreaker<Object> of(String shard) {
    return breakers.computeIfAbsent(shard, this::breaker).breaker();
  }

  private Breaker breaker(String shard) {
    CircuitBreaker<Object> breaker =
        CircuitBreaker.builder()
            .withFailureThreshold(config.breakerFailures())
            .withDelay(config.breakerDelay())
            // One trial request while half-open; the others keep skipping the shard.
            .withSuccessThreshold(1)
            .onOpen(
                e -> {
                  // Only the first opening is news; re-opening after a failed trial is not.
                  if (e.getPreviousState() == CircuitBreaker.State.CLOSED) {
                    LOG.warn(
                        "shard [{}] circuit open: requests skip it, and one request tries it"
                            + " again every {}",
                        shard,
                        config.breakerDelay());
                  } else {
                    LOG.debug("shard [{}] circuit open again: the trial request failed", shard);
                  }
                })
            .onHalfOpen(e -> LOG.debug("shard [{}] circuit half-open: trying it again", shard))
            .onClose(e -> LOG.info("shard [{}] circuit closed: it answers again", shard))
            .build();
    Gauge gauge =
        Gauge.builder(GAUGE, breaker, ShardBreakers::stateNumber)
            .description("Circuit breaker of one shard: 0 closed, 1 half-open, 2 open")
            .tag("shard", shard)
            .register(meterRegistry);
    return new Breaker(breaker, gauge);
  }

  /**
   * Reports the outcome of a call that held a permit of the shard's breaker.
   *
   * @param failure why the call failed, or null when the shard answered
   */
  void record(String shard, @Nullable ShardFailure failure) {
    CircuitBreaker<Object> breaker = of(shard);
    if (failure == null) {
      breaker.recordSuccess();
      return;
    }
    switch (failure) {
      case TIMEOUT, UNREACHABLE -> breaker.recordFailure();
      // An answer, even an SQL error, shows the shard is reachable.
      case FAILED -> breaker.recordSuccess();
      case BUSY, OPEN -> untried(shard);
    }
  }

  /**
   * Reports a call that held a permit but never reached the shard. It does not count while the
   * breaker is closed. A half-open breaker lends its single permit to one trial call, and Failsafe
   * has no way to give a permit back: that trial is spent, so the breaker opens again and the next
   * trial comes after {@code shardpipe.query.breaker-delay}, rather than skipping the shard for
   * good.
   */
  void untried(String shard) {
    CircuitBreaker<Object> breaker = of(shard);
    if (breaker.isHalfOpen()) {
      breaker.recordFailure();
    }
  }

  private static double stateNumber(CircuitBreaker<Object> breaker) {
    return switch (breaker.getState()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** A shard's breaker and the gauge that exports its state. */
  private record Breaker(CircuitBreaker<Object> breaker, Gauge gauge) {}
}
