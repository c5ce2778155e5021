package dev.shardpipe.http.problem;

import dev.shardpipe.core.event.Violation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a request whose query string holds a parameter that is not text PostgreSQL can take: a
 * NUL ({@code %00}) or bytes that are not UTF-8, such as {@code %ED%A0%80}, the UTF-8 form of a
 * lone UTF-16 surrogate. The framework decodes such bytes leniently, replacing what it cannot read,
 * so a controller never sees the difference; a NUL that reaches a shard fails its statement, and
 * every shard asked would answer with an error. Refused here instead, as a {@code 400} naming every
 * bad parameter before any route runs.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class QueryParameterFilter {

  /** The detail of the {@code 400}, the same as for any other invalid parameter. */
  static final String DETAIL = "the request has invalid parameters";

  @RequestFilter
  @Nullable
  HttpResponse<?> refuseUndecodableParameters(HttpRequest<?> request) {
    String query = request.getUri().getRawQuery();
    List<Violation> violations = query == null ? List.of() : violations(query);
    if (violations.isEmpty()) {
      return null;
    }
    return ProblemException.invalid(DETAIL, violations).response(request.getPath());
  }

  /**
   * Checks every {@code name=value} pair of a raw (still percent-encoded) query string.
   *
   * @param rawQuery the query string after {@code ?}, as sent
   * @return one violation per bad parameter, named by its decoded name, or by its name as sent when
   *     the name itself is bad; empty when every parameter is valid text
   */
  static List<Violation> violations(String rawQuery) {
    List<Violation> violations = new ArrayList<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String problemWithName = problem(rawName);
      if (problemWithName != null) {
        violations.add(new Violation(rawName, "the parameter name " + problemWithName));
        continue;
      }
      String problemWithValue = equals < 0 ? null : problem(pair.substring(equals + 1));
      if (problemWithValue != null) {
        violations.add(new Violation(decode(rawName), problemWithValue));
      }
    }
    return violations;
  }

  /** Says what is wrong with one percent-encoded component, or null when it is valid text. */
  private static @Nullable String problem(String raw) {
    byte[] bytes = bytes(raw);
    if (bytes == null) {
      return "must be percent-encoded correctly (%XX, two hex digits)";
    }
    for (byte b : bytes) {
      if (b == 0) {
        return "must not contain NUL (%00)";
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return null;
    } catch (CharacterCodingException e) {
      // Java's decoder also refuses the three-byte forms of surrogates and overlong forms.
      return "must be UTF-8 text (no lone surrogates or other invalid byte sequences)";
    }
  }

  private static String decode(String raw) {
    byte[] bytes = bytes(raw);
    return bytes == null ? raw : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Percent-decodes, {@code +} as a space; null for a broken escape. */
  private static byte @Nullable [] bytes(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i++);
      if (c == '%') {
        if (i + 2 > raw.length()) {
          return null;
        }
        int high = Character.digit(raw.charAt(i++), 16);
        int low = Character.digit(raw.charAt(i++), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        out.write(high << 4 | low);
      } else if (c == '+') {
        out.write(' ');
      } else if (c <= 0xFF) {
        // A byte sent without percent-encoding reaches us as the character of the same number.
        out.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
      }
    }
    return out.toByteArray();
  }
}
