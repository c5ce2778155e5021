package dev.shardpipe.http.problem;

import dev.shardpipe.core.event.Violation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Thrown by a controller to answer with a problem; {@link ProblemExceptionHandler} renders it.
 * Every factory method takes text written for the client, so nothing internal reaches it.
 */
public final class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Problem problem;
  private final @Nullable Duration retryAfter;

  private ProblemException(Problem problem, @Nullable Duration retryAfter) {
    super(problem.title() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /**
   * A {@code 400} naming every invalid field.
   *
   * @param detail a summary, such as {@code the tweet is invalid}
   * @param errors the violations, at least one
   * @return the exception
   */
  public static ProblemException invalid(String detail, List<Violation> errors) {
    return new ProblemException(
        new Problem(
            "urn:shardpipe:problem:invalid-input",
            "Invalid input",
            HttpStatus.BAD_REQUEST.getCode(),
            detail,
            null,
            List.copyOf(errors),
            null),
        null);
  }

  /**
   * A {@code 413}: the body is larger than the endpoint accepts.
   *
   * @param detail what was too large, such as {@code a single event's body is at most 65536 bytes}
   * @param maxBytes the limit, sent as the extension member {@value Problem#MAX_BYTES}
   * @return the exception
   */
  public static ProblemException tooLarge(String detail, long maxBytes) {
    return new ProblemException(
        Problem.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, detail, null)
            .withExtensions(Map.of(Problem.MAX_BYTES, maxBytes)),
        null);
  }

  /**
   * A {@code 404}.
   *
   * @param detail what was not found, such as {@code no tweet with id ...}
   * @return the exception
   */
  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, detail, null), null);
  }

  /**
   * A {@code 503} with {@code Retry-After}: a dependency (Kafka, a shard) is not reachable.
   *
   * @param typeName the problem type's last part, such as {@code kafka-unavailable}
   * @param title the fixed summary of the type
   * @param detail this occurrence, for the client
   * @param retryAfter when the client may try again, rounded up to whole seconds
   * @param extensions further members, such as {@code shard}
   * @return the exception
   */
  public static ProblemException unavailable(
      String typeName,
      String title,
      String detail,
      Duration retryAfter,
      Map<String, Object> extensions) {
    return new ProblemException(
        new Problem(
            "urn:shardpipe:problem:" + typeName,
            title,
            HttpStatus.SERVICE_UNAVAILABLE.getCode(),
            detail,
            null,
            null,
            Map.copyOf(extensions)),
        retryAfter);
  }

  /**
   * Returns the body to send.
   *
   * @return the problem, without {@code instance}
   */
  public Problem problem() {
    return problem;
  }

  /**
   * Renders this problem as the response to a request: its status, {@value Problem#CONTENT_TYPE},
   * the request path as {@code instance}, and for a delay {@code Retry-After} in whole seconds,
   * rounded up.
   *
   * @param path the request path
   * @return the response
   */
  public MutableHttpResponse<Problem> response(String path) {
    Problem body = problem.withInstance(path);
    MutableHttpResponse<Problem> response =
        HttpResponse.<Problem>status(HttpStatus.valueOf(body.status()))
            .contentType(Problem.CONTENT_TYPE)
            .body(body);
    if (retryAfter != null) {
      long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }
    return response;
  }

  /**
   * Returns the delay for the {@code Retry-After} header.
   *
   * @return the delay, or null for none
   */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
