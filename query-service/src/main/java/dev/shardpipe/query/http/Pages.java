package dev.shardpipe.query.http;

import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.query.merge.PageSlice;
import dev.shardpipe.query.shard.Answers;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;

/**
 * Turns per-shard reads into a {@link Page}: merged newest first, cut at the limit, with a signed
 * cursor when rows remain. A read none of whose shards answered is a {@code 503}; one that lost
 * some of them is a partial page. A routed read asks one shard, so it is complete or a {@code 503}.
 */
@Singleton
final class Pages {

  private final CursorCodec cursors;
  private final QueryConfiguration config;

  Pages(CursorCodec cursors, QueryConfiguration config) {
    this.cursors = cursors;
    this.config = config;
  }

  <T> Page<T> page(
      String what,
      CursorScope scope,
      int limit,
      Answers<List<T>> answers,
      Function<? super T, Keyset> keyset) {
    if (answers.noneAnswered()) {
      throw ShardProblems.unavailable(what, answers, config.retryAfter());
    }
    PageSlice<T> slice = PageSlice.of(answers.values(), keyset, limit);
    String next = slice.next() == null ? null : cursors.encode(scope, slice.next());
    return new Page<>(slice.items(), next, !answers.complete(), answers.missing());
  }

  /**
   * Returns the one row an id lookup found, a {@code 404} when every shard answered without it, or
   * a {@code 503} when a shard that might hold it did not answer.
   */
  <T> T one(String what, Answers<List<T>> answers) {
    for (List<T> rows : answers.values()) {
      if (!rows.isEmpty()) {
        return rows.get(0);
      }
    }
    if (!answers.complete()) {
      throw ShardProblems.unavailable(what, answers, config.retryAfter());
    }
    throw ProblemException.notFound("no " + what);
  }
}
