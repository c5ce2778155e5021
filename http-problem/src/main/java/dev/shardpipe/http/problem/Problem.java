package dev.shardpipe.http.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardpipe.core.event.Violation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem details body, sent as {@value #CONTENT_TYPE}.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the HTTP status says it
 *     all, else {@code urn:shardpipe:problem:<name>}
 * @param title a short, fixed summary of the type
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, written for the client; never an internal
 *     message
 * @param instance the request path
 * @param errors field-level violations of a {@code 400}, or null
 * @param extensions further members defined by the type (RFC 9457 section 3.2), such as {@code
 *     shard}
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(
    description = "RFC 9457 problem details; types may add members, such as shard or max_bytes",
    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
public record Problem(
    String type,
    String title,
    int status,
    @Nullable String detail,
    @Nullable String instance,
    @Nullable List<Violation> errors,
    // Flattened into the body by @JsonAnyGetter, which the OpenAPI generator does not follow.
    @JsonAnyGetter @Schema(hidden = true) @Nullable Map<String, Object> extensions) {

  /** The media type of a problem: {@value}. */
  public static final String CONTENT_TYPE = "application/problem+json";

  /** The type of a problem the HTTP status describes completely: {@value}. */
  public static final String ABOUT_BLANK = "about:blank";

  /** The extension member of a {@code 413} that gives the limit in bytes: {@value}. */
  public static final String MAX_BYTES = "max_bytes";

  /**
   * Creates a problem of type {@code about:blank}, titled with the status's reason phrase.
   *
   * @param status the HTTP status
   * @param detail what went wrong, for the client
   * @param instance the request path, or null
   * @return the problem
   */
  public static Problem of(HttpStatus status, @Nullable String detail, @Nullable String instance) {
    return new Problem(
        ABOUT_BLANK, status.getReason(), status.getCode(), detail, instance, null, null);
  }

  /**
   * Returns a copy with the request path as {@code instance}.
   *
   * @param path the request path
   * @return the copy
   */
  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errors, extensions);
  }

  /**
   * Returns a copy with these extension members instead of the current ones.
   *
   * @param members further members defined by the type, such as {@value #MAX_BYTES}
   * @return the copy
   */
  public Problem withExtensions(Map<String, Object> members) {
    return new Problem(type, title, status, detail, instance, errors, Map.copyOf(members));
  }
}
