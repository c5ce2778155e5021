package dev.shardpipe.query.merge;

import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a cursor is bound to: the endpoint and the value of every filter, absent ones included. A
 * cursor signed for one scope is rejected in any other, so that a page position from {@code
 * location=europe} is never applied to {@code location=usa}, nor a tweet cursor to files.
 */
public final class CursorScope {

  private final String endpoint;
  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  private CursorScope(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Starts a scope.
   *
   * @param endpoint the list's name, such as {@code tweets}
   * @return a scope without filters
   */
  public static CursorScope of(String endpoint) {
    return new CursorScope(endpoint);
  }

  /**
   * Adds a filter; call it for every filter the endpoint has, set or not, always in the same order.
   *
   * @param name the query parameter, such as {@code owner_id}
   * @param value its value as the query understood it, or null when absent
   * @return this scope
   */
  public CursorScope with(String name, @Nullable Object value) {
    names.add(Objects.requireNonNull(name, "name"));
    values.add(value == null ? null : value.toString());
    return this;
  }

  /**
   * Returns the scope as bytes for the cursor's MAC. Every part is length-prefixed and an absent
   * value differs from every present one, so no two scopes share an encoding whatever their values
   * contain.
   */
  byte[] canonicalBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeText(out, endpoint);
      out.writeInt(names.size());
      for (int i = 0; i < names.size(); i++) {
        writeText(out, names.get(i));
        String value = values.get(i);
        if (value == null) {
          out.writeInt(-1);
        } else {
          writeText(out, value);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /** Returns the scope as {@code endpoint{name=value, ...}}, for tests and logs. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(endpoint).append('{');
    for (int i = 0; i < names.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
    }
    return text.append('}').toString();
  }
}
