package dev.shardpipe.http.problem;

import dev.shardpipe.core.event.Violation;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

/**
 * Renders the framework's own errors (no route, wrong method or media type, body too large, a
 * missing or unconvertible parameter, no valid token or the wrong role, an unhandled exception) as
 * problems. The detail is chosen here from the status and the cause's type, never copied from an
 * exception message, so internal text cannot reach a client.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
final class ProblemBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

  private final long maxRequestSize;
  private final long maxBufferedSize;

  ProblemBodyProvider(HttpServerConfiguration server) {
    this.maxRequestSize = server.getMaxRequestSize();
    // A body bound as a whole (byte[], a parsed object) is buffered, and the buffer has its own
    // limit, micronaut.server.max-request-buffer-size (10 MiB unless set); such a body meets
    // whichever limit is smaller.
    this.maxBufferedSize = Math.min(maxRequestSize, server.getMaxRequestBufferSize());
  }

  @Override
  public String contentType() {
    return Problem.CONTENT_TYPE;
  }

  @Override
  public Problem body(ErrorContext context, HttpResponse<?> response) {
    HttpStatus status = response.getStatus();
    String path = context.getRequest().getPath();
    Throwable cause = context.getRootCause().orElse(null);
    if (cause instanceof UnsatisfiedRouteException missing) {
      return fieldProblem(missing.getArgument(), "is required", path);
    }
    if (cause instanceof ConversionErrorException conversion) {
      return fieldProblem(
          conversion.getArgument(), "must be " + describe(conversion.getArgument()), path);
    }
    Problem problem = Problem.of(status, detail(status, context, cause), path);
    // The framework refuses a body over its limits before any controller sees it; naming the
    // limit that refused it lets a client split its batch instead of guessing.
    if (cause instanceof BufferLengthExceededException buffer) {
      // Its "advertised length" is the buffer limit that was exceeded.
      return problem.withExtensions(Map.of(Problem.MAX_BYTES, buffer.getAdvertisedLength()));
    }
    if (cause instanceof ContentLengthExceededException) {
      return problem.withExtensions(Map.of(Problem.MAX_BYTES, maxRequestSize));
    }
    if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      return problem.withExtensions(Map.of(Problem.MAX_BYTES, maxBufferedSize));
    }
    return problem;
  }

  private static Problem fieldProblem(Argument<?> argument, String message, String path) {
    return new Problem(
        "urn:shardpipe:problem:invalid-input",
        "Invalid input",
        HttpStatus.BAD_REQUEST.getCode(),
        "the request has invalid parameters",
        path,
        List.of(new Violation(wireName(argument), message)),
        null);
  }

  /**
   * The name the client used: {@code @QueryValue("owner_id") long ownerId} is reported as {@code
   * owner_id}, not as the Java parameter's name.
   */
  private static String wireName(Argument<?> argument) {
    for (Class<? extends Annotation> binding :
        List.of(QueryValue.class, PathVariable.class, Header.class)) {
      String name = argument.getAnnotationMetadata().stringValue(binding).orElse("");
      if (!name.isEmpty()) {
        return name;
      }
    }
    return argument.getName();
  }

  private static String describe(Argument<?> argument) {
    Class<?> type = argument.getType();
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == java.util.UUID.class) {
      return "a UUID";
    }
    return "a valid " + type.getSimpleName();
  }

  private static String detail(HttpStatus status, ErrorContext context, Throwable cause) {
    return switch (status) {
      // Micronaut security's rejection handler renders through this provider; the detail tells a
      // missing token from a refused one without saying why a token was refused, which would help
      // a forger more than a client.
      case UNAUTHORIZED ->
          context.getRequest().getHeaders().getAuthorization().isPresent()
              ? "the bearer token is not valid: it is expired, malformed or signed with another"
                  + " secret"
              : "this request needs a bearer token: send Authorization: Bearer <token>";
      case FORBIDDEN ->
          "the token's role may not "
              + context.getRequest().getMethodName()
              + " "
              + context.getRequest().getPath();
      case NOT_FOUND -> "no resource at " + context.getRequest().getPath();
      case METHOD_NOT_ALLOWED ->
          context.getRequest().getMethodName()
              + " is not allowed on "
              + context.getRequest().getPath();
      case UNSUPPORTED_MEDIA_TYPE ->
          "Content-Type "
              + context.getRequest().getContentType().map(Object::toString).orElse("(none)")
              + " is not supported here";
      case NOT_ACCEPTABLE -> "no representation matches the Accept header";
      case REQUEST_ENTITY_TOO_LARGE -> "the request body is larger than this endpoint accepts";
      case BAD_REQUEST ->
          cause instanceof JsonSyntaxException || cause instanceof CodecException
              ? "the body is not valid JSON"
              : cause instanceof ContentLengthExceededException
                      || cause instanceof BufferLengthExceededException
                  ? "the request body is larger than this endpoint accepts"
                  : "the request is malformed";
      case INTERNAL_SERVER_ERROR -> "the server failed to handle the request; the error is logged";
      default -> status.getReason();
    };
  }
}
