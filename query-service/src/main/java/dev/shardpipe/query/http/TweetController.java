package dev.shardpipe.query.http;

import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.query.shard.ShardReader;
import dev.shardpipe.query.shard.TweetFilter;
import dev.shardpipe.query.shard.TweetRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /tweets} and {@code GET /tweets/{id}} (SPEC 7). Runs on the blocking executor because
 * the shards are read with JDBC.
 */
@Controller("/tweets")
@ExecuteOn(TaskExecutors.BLOCKING)
final class TweetController {

  private final ShardReader reader;
  private final CursorCodec cursors;
  private final Pages pages;
  private final QueryConfiguration config;

  TweetController(ShardReader reader, CursorCodec cursors, Pages pages, QueryConfiguration config) {
    this.reader = reader;
    this.cursors = cursors;
    this.pages = pages;
    this.config = config;
  }

  /**
   * Lists tweets newest first, by {@code occurred_at} then {@code id}, both descending. {@code
   * owner_id} with {@code location} reads the one partition they route to; {@code location} alone
   * reads its partitions' shards; otherwise every shard is read and the results merged.
   *
   * <p>{@code 400} names each bad parameter: {@code owner_id} not an integer {@code >= 0}, {@code
   * location} not 1 to 64 characters, {@code limit} outside 1 to {@code max-limit}, {@code cursor}
   * malformed, altered, or from a query with other filters. {@code 503} when no shard the read
   * needs answers; when only some do, the page has {@code "partial": true} and {@code
   * missing_shards}.
   */
  @Get
  Page<TweetRow> list(
      @QueryValue("owner_id") @Nullable String ownerId,
      @QueryValue("location") @Nullable String location,
      @QueryValue("limit") @Nullable String limit,
      @QueryValue("cursor") @Nullable String cursor) {
    List<Violation> violations = new ArrayList<>();
    Long owner = Params.id("owner_id", ownerId, violations);
    String place = Params.location(location, violations);
    boolean filtersValid = violations.isEmpty();
    int size = Params.limit(limit, config.defaultLimit(), config.maxLimit(), violations);
    CursorScope scope = CursorScope.of("tweets").with("owner_id", owner).with("location", place);
    Keyset after = Params.cursor(cursors, scope, filtersValid, cursor, violations);
    if (!violations.isEmpty()) {
      throw ProblemException.invalid("the request has invalid parameters", violations);
    }
    return pages.page(
        "the tweets",
        scope,
        size,
        reader.tweets(new TweetFilter(owner, place), after, size + 1),
        row -> new Keyset(row.occurredAt(), row.id()));
  }

  /**
   * Returns one tweet. Every shard is asked, since an id does not tell its shard. {@code 404} when
   * no shard has it; {@code 503} when none has it but a shard did not answer.
   */
  @Get("/{id}")
  TweetRow get(@PathVariable("id") UUID id) {
    return pages.one("tweet with id " + id, reader.tweet(id));
  }
}
