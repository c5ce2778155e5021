package dev.shardpipe.loadgen.observe;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The totals of query-service's {@code GET /stats} (docs/contract.md §7): rows per table over every
 * shard, and the writers' lag. A number query-service could not read is null, as it answers it.
 *
 * @param tweets rows in every shard's {@code tweets}
 * @param files rows in every shard's {@code file_metadata}
 * @param lag events in Kafka that the writers have not applied yet
 */
@Serdeable
public record StatsTotals(@Nullable Long tweets, @Nullable Long files, @Nullable Long lag) {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Reads the totals.
   *
   * @param queryService query-service's address
   * @param token a bearer token of role admin, or null when query-service runs without auth
   * @return the totals
   * @throws IOException if query-service does not answer {@code 200} with a JSON body
   * @throws InterruptedException if interrupted
   */
  public static StatsTotals read(URI queryService, @Nullable String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(queryService.resolve("/stats")).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + queryService.resolve("/stats") + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  static StatsTotals parse(byte[] body) throws IOException {
    JsonNode totals = JSON.readValue(body, JsonNode.class).get("totals");
    if (totals == null) {
      throw new IOException("/stats has no totals");
    }
    JsonNode rows = totals.get("rows");
    return new StatsTotals(
        number(rows == null ? null : rows.get("tweets")),
        number(rows == null ? null : rows.get("file_metadata")),
        number(totals.get("lag")));
  }

  private static @Nullable Long number(@Nullable JsonNode node) {
    return node == null || !node.isNumber() ? null : node.getLongValue();
  }
}
