package dev.shardpipe.loadgen.http;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP/1.1 with kept-alive connections, one blocking request per connection, run on a pool of
 * {@code connections} threads (Apache HttpClient 5, classic API).
 *
 * <p>Why not {@code java.net.http.HttpClient}: on the 2-core machine its asynchronous pipeline cost
 * so much CPU per request that it could not send more than about 2 000 single-event requests/s
 * beside the pipeline, where wrk reached 4 000 against the same devstack; a load generator that is
 * the bottleneck measures itself. Blocking I/O on a thread per connection costs a system call or
 * two per request.
 */
public final class HttpPool implements AutoCloseable {

  private final CloseableHttpClient client;
  private final ExecutorService threads;
  private final @Nullable String authorization;

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the body, empty when there was none
   * @param retryAfter the {@code Retry-After} header, or null
   */
  public record Response(int status, byte[] body, @Nullable String retryAfter) {}

  /**
   * Opens the pool; connections are made as they are needed.
   *
   * @param connections connections and threads, the most requests in flight
   * @param timeout the longest one request may take, connecting included
   * @param token the bearer token sent with every request, or null for none
   */
  public HttpPool(int connections, java.time.Duration timeout, @Nullable String token) {
    this.authorization = token == null ? null : "Bearer " + token;
    Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(connections)
                    .setMaxConnPerRoute(connections)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(limit)
                            .setSocketTimeout(limit)
                            .build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
            .disableAutomaticRetries()
            .disableCookieManagement()
            .build();
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            connections,
            r -> {
              Thread t = new Thread(r, "http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Posts a JSON body without blocking the caller.
   *
   * @param uri where
   * @param json the body, {@code application/json}
   * @return completes with the answer, or exceptionally with the {@link IOException}
   */
  public CompletableFuture<Response> post(URI uri, byte[] json) {
    HttpPost post = new HttpPost(uri);
    post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
    return execute(post);
  }

  /**
   * Gets a resource without blocking the caller.
   *
   * @param uri where
   * @return completes with the answer, or exceptionally with the {@link IOException}
   */
  public CompletableFuture<Response> get(URI uri) {
    return execute(new HttpGet(uri));
  }

  private CompletableFuture<Response> execute(HttpUriRequestBase request) {
    if (authorization != null) {
      request.setHeader("Authorization", authorization);
    }
    CompletableFuture<Response> answer = new CompletableFuture<>();
    threads.execute(
        () -> {
          try {
            answer.complete(
                client.execute(
                    request,
                    response -> {
                      Header retryAfter = response.getFirstHeader("Retry-After");
                      return new Response(
                          response.getCode(),
                          response.getEntity() == null
                              ? new byte[0]
                              : EntityUtils.toByteArray(response.getEntity()),
                          retryAfter == null ? null : retryAfter.getValue());
                    }));
          } catch (IOException | RuntimeException e) {
            answer.completeExceptionally(e);
          }
        });
    return answer;
  }

  /** Stops the threads and closes the connections. */
  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
      client.close();
    } catch (IOException e) {
      // The connections end with the process anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
