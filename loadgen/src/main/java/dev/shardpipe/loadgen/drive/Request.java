package dev.shardpipe.loadgen.drive;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One request of a run: an HTTP request, a batch of Kafka records, or a set of SQL statements.
 *
 * @param events how many events (or items) it carries, for rates in events per second
 * @param start starts it without blocking; the future completes when it is answered
 * @param <R> what an answer is
 */
public record Request<R>(int events, Supplier<CompletableFuture<R>> start) {}
