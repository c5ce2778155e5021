package dev.shardpipe.http.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link ProblemException} with its problem and, for a 503, {@code Retry-After}. */
@Singleton
@Produces(Problem.CONTENT_TYPE)
@Requires(classes = ExceptionHandler.class)
final class ProblemExceptionHandler
    implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
    return exception.response(request.getPath());
  }
}
