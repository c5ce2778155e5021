package dev.shardpipe.http.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
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
    Problem problem = exception.problem().withInstance(request.getPath());
    MutableHttpResponse<Problem> response =
        HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
            .contentType(Problem.CONTENT_TYPE)
            .body(problem);
    if (exception.retryAfter() != null) {
      long seconds = Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000);
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }
    return response;
  }
}
