package dev.shardpipe.loadgen.reads;

import dev.shardpipe.loadgen.sink.SendFailure;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Reads through query-service: {@code GET /tweets} with or without the shard key. */
final class HttpReads implements ReadTarget {

  private final URI base;
  private final int limit;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpReads(URI base, int limit) {
    this.base = base;
    this.limit = limit;
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
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(query)).timeout(Duration.ofSeconds(10)).GET().build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new SendFailure("http " + response.statusCode(), query);
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
    // HttpClient has no close() before Java 21.
  }
}
