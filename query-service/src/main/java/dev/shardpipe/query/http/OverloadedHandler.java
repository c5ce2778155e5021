package dev.shardpipe.query.http;

import dev.shardpipe.http.problem.Problem;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.shard.ShardsOverloadedException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * Answers a request the shard executor had no room for with a {@code 503} problem of type {@code
 * query-overloaded} and {@code Retry-After}: nothing of it ran, so it is safe to repeat.
 */
@Singleton
@Produces(Problem.CONTENT_TYPE)
final class OverloadedHandler
    implements ExceptionHandler<ShardsOverloadedException, HttpResponse<Problem>> {

  private final Duration retryAfter;

  OverloadedHandler(QueryConfiguration config) {
    this.retryAfter = config.retryAfter();
  }

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, ShardsOverloadedException exception) {
    return ProblemException.unavailable(
            "query-overloaded",
            "Too many requests in progress",
            "every thread that reads the shards is busy and the queue is full; nothing of this"
                + " request ran, so retry it after Retry-After",
            retryAfter,
            Map.of())
        .response(request.getPath());
  }
}
