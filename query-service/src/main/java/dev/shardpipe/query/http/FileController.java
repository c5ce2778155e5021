package dev.shardpipe.query.http;

import dev.shardpipe.core.event.Violation;
import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import dev.shardpipe.query.merge.CursorScope;
import dev.shardpipe.query.merge.Keyset;
import dev.shardpipe.query.shard.FileRow;
import dev.shardpipe.query.shard.ShardReader;
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
 * {@code GET /files} and {@code GET /files/{id}} (SPEC 7). Runs on the blocking executor because
 * the shards are read with JDBC.
 */
@Controller("/files")
@ExecuteOn(TaskExecutors.BLOCKING)
final class FileController {

  private final ShardReader reader;
  private final CursorCodec cursors;
  private final Pages pages;
  private final QueryConfiguration config;

  FileController(ShardReader reader, CursorCodec cursors, Pages pages, QueryConfiguration config) {
    this.reader = reader;
    this.cursors = cursors;
    this.pages = pages;
    this.config = config;
  }

  /**
   * Lists file metadata newest first, by {@code occurred_at} then {@code id}, both descending.
   * {@code user_id} reads the one partition, and shard, it routes to; without it every shard is
   * read and the results merged. Errors as for {@code GET /tweets}.
   */
  @Get
  Page<FileRow> list(
      @QueryValue("user_id") @Nullable String userId,
      @QueryValue("limit") @Nullable String limit,
      @QueryValue("cursor") @Nullable String cursor) {
    List<Violation> violations = new ArrayList<>();
    Long user = Params.id("user_id", userId, violations);
    boolean filtersValid = violations.isEmpty();
    int size = Params.limit(limit, config.defaultLimit(), config.maxLimit(), violations);
    CursorScope scope = CursorScope.of("files").with("user_id", user);
    Keyset after = Params.cursor(cursors, scope, filtersValid, cursor, violations);
    if (!violations.isEmpty()) {
      throw ProblemException.invalid("the request has invalid parameters", violations);
    }
    return pages.page(
        "the files",
        scope,
        size,
        reader.files(user, after, size + 1),
        row -> new Keyset(row.occurredAt(), row.id()));
  }

  /**
   * Returns one file's metadata. Every shard is asked, since an id does not tell its shard. {@code
   * 404} when no shard has it; {@code 503} when none has it but a shard did not answer.
   */
  @Get("/{id}")
  FileRow get(@PathVariable("id") UUID id) {
    return pages.one("file with id " + id, reader.file(id));
  }
}
