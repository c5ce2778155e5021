package dev.shardpipe.query.shard;

import dev.shardpipe.query.config.QueryConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor that runs every call on a shard: {@code shardpipe.query.executor-threads} threads
 * and a queue of {@code shardpipe.query.executor-queue} calls, and no more. Micronaut's blocking
 * executor would grow without bound under load, each thread holding a request that waits for a
 * connection; this one refuses at once ({@link ShardsOverloadedException}, a {@code 503}). Its
 * state is exported as Micrometer's {@code executor_*} meters with {@code name="shard-calls"}.
 */
@Factory
final class ShardExecutorFactory {

  /** The executor's bean name and metrics name: {@value}. */
  static final String NAME = "shard-calls";

  @Singleton
  @Named(NAME)
  @Bean(preDestroy = "shutdownNow")
  ExecutorService shardCalls(QueryConfiguration config, MeterRegistry meterRegistry) {
    int threads = config.executorThreads();
    BlockingQueue<Runnable> queue =
        config.executorQueue() == 0
            ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(config.executorQueue());
    AtomicInteger number = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            queue,
            task -> {
              Thread thread = new Thread(task, NAME + "-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
    // Idle threads end, so an idle service holds none.
    executor.allowCoreThreadTimeOut(true);
    new ExecutorServiceMetrics(executor, NAME, List.of()).bindTo(meterRegistry);
    return executor;
  }
}
