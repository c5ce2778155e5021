package dev.shardpipe.query.http;

import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.query.shard.KindTable;
import dev.shardpipe.query.shard.ShardReader;
import dev.shardpipe.query.shard.ShardRow;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The one read path of every {@link EventKind} (docs/query-service.md): a list newest first and a
 * lookup by id, each filtered by key fields given as query parameters, checked by the kind's field
 * rules and reported all at once, then run after {@code read_after}'s writes are applied. The
 * controllers only declare each kind's routes and their OpenAPI description.
 */
@Singleton
final class KindReads {

  /**
   * A key-field query parameter as the request gave it.
   *
   * @param name the parameter, a key field's wire name such as {@code owner_id}
   * @param text its text, or null when absent
   */
  record Filter(String name, @Nullable String text) {}

  private final PlacementSource placements;
  private final ShardReader reader;
  private final CursorCodec cursors;
  private final Pages pages;
  private final QueryConfiguration config;
  private final ReadAfter tokens;

  KindReads(
      PlacementSource placements,
      ShardReader reader,
      CursorCodec cursors,
      Pages pages,
      QueryConfiguration config,
      ReadAfter tokens) {
    this.placements = placements;
    this.reader = reader;
    this.cursors = cursors;
    this.pages = pages;
    this.config = config;
    this.tokens = tokens;
  }

  /**
   * Lists a kind's rows newest first.
   *
   * @param filters the key-field parameters, reported in this order when bad
   * @return the page; fails with {@code 400} naming each bad parameter, {@code 503} when no shard
   *     the read needs answers or {@code read_after}'s writes are not applied in time
   */
  <R extends ShardRow> CompletableFuture<Page<R>> list(
      KindTable<R> table,
      @Nullable String limit,
      @Nullable String cursor,
      @Nullable String readAfter,
      @Nullable String readAfterHeader,
      Filter... filters) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Object> values = values(table.kind(), filters, violations);
    boolean filtersValid = violations.isEmpty();
    int size = Params.limit(limit, config.defaultLimit(), config.maxLimit(), violations);
    CursorScope scope = scope(table.kind(), filters, values);
    Keyset after = Params.cursor(cursors, scope, filtersValid, cursor, violations);
    ReadToken token = tokens.token(readAfter, readAfterHeader, violations);
    Params.requireValid(violations);
    return tokens.then(
        token,
        () ->
            pages.page(
                "the " + table.kind().collection(),
                scope,
                size,
                reader.list(table, placements.current(), values, after, size + 1),
                row -> new Keyset(row.occurredAt(), row.id())));
  }

  /**
   * Returns one row by id; with a whole shard key only the shard it routes to is asked.
   *
   * @param key the key-field parameters, all or none given
   * @return the row; fails with {@code 400} for a bad or half key, {@code 404} when no shard asked
   *     has it, {@code 503} when none has it but a shard did not answer, or as {@link #list}
   */
  <R extends ShardRow> CompletableFuture<R> one(
      KindTable<R> table,
      UUID id,
      @Nullable String readAfter,
      @Nullable String readAfterHeader,
      Filter... key) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Object> values = values(table.kind(), key, violations);
    wholeKey(key, violations);
    ReadToken token = tokens.token(readAfter, readAfterHeader, violations);
    Params.requireValid(violations);
    return tokens.then(
        token,
        () ->
            pages.one(
                table.kind().wireName() + " with id " + id,
                reader.find(table, placements.current(), id, values)));
  }

  /**
   * Binds a list's cursor to its collection and filters, from the last key field to the first
   * whatever order the parameters came in, so that every route of a kind signs the same scope. The
   * order is reversed because {@code GET /tweets} has always signed {@code owner_id} before {@code
   * location}: cursors handed out before every kind shared this path stay valid.
   */
  private static CursorScope scope(EventKind kind, Filter[] filters, Map<String, Object> values) {
    CursorScope scope = CursorScope.of(kind.collection());
    List<EventField> key = kind.keyFields();
    for (int i = key.size() - 1; i >= 0; i--) {
      EventField field = key.get(i);
      for (Filter filter : filters) {
        if (filter.name().equals(field.name())) {
          scope.with(filter.name(), values.get(filter.name()));
        }
      }
    }
    return scope;
  }

  /** Checks each given parameter by its field's rule; the valid ones by name, in given order. */
  private static Map<String, Object> values(
      EventKind kind, Filter[] filters, List<Violation> violations) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Filter filter : filters) {
      EventField field = kind.field(filter.name());
      if (field == null) {
        throw new IllegalArgumentException(kind + " has no field " + filter.name());
      }
      Object value =
          field.type() == EventField.Type.TEXT
              ? Params.text(filter.name(), filter.text(), (int) field.max(), violations)
              : Params.id(filter.name(), filter.text(), violations);
      if (value != null) {
        values.put(filter.name(), value);
      }
    }
    return values;
  }

  /**
   * Requires every part of a shard key or none, since part of a key cannot route a lookup; each
   * missing part is reported, as required with the first given one.
   */
  private static void wholeKey(Filter[] key, List<Violation> violations) {
    Filter given = null;
    for (Filter part : key) {
      if (part.text() != null) {
        given = part;
        break;
      }
    }
    if (given == null) {
      return;
    }
    for (Filter part : key) {
      if (part.text() == null) {
        violations.add(new Violation(part.name(), "is required with " + given.name()));
      }
    }
  }
}
