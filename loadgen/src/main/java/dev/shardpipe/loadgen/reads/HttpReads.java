package dev.shardpipe.loadgen.reads;

import dev.shardpipe.loadgen.http.HttpPool;
import dev.shardpipe.loadgen.sink.SendFailure;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Reads through query-service: {@code GET /tweets} with or without the shard key. */
final class HttpReads implements ReadTarget {

  private final URI base;
  private final int limit;
  private final HttpPool http;

  HttpReads(URI base, int limit, int connections, @Nullable String token) {
    this.base = base;
    this.limit = limit;
    this.http = new HttpPool(connections, Duration.ofSeconds(10), token);
  }

  @Override
  public CompletableFuture<Integer> read(ReadKind kind, long ownerId, String location) {
    String query =
        kind == ReadKind.ROUTED
            ? "/tweets?owner_id="
                + ownerId
                + "&location="
                + URLEncoder.encode(location, StandardCharsets.UTF_8)
                + "&limit="
                + limit
            : "/tweets?limit=" + limit;
    return http.get(base.resolve(query))
        .thenApply(
            response -> {
              if (response.status() != 200) {
                throw new SendFailure("http " + response.status(), query);
              }
              return ReadCheck.page(response.body(), limit);
            });
  }

  @Override
  public String description() {
    return "query-service " + base;
  }

  @Override
  public void close() {
    http.close();
  }
}
