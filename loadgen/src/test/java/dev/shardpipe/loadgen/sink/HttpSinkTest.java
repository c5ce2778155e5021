package dev.shardpipe.loadgen.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.TweetEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sink against a real socket that misbehaves the way a restarting ingest-api or a proxy
 * does: it resets the first connection before answering, then answers {@code 202}.
 */
class HttpSinkTest {

  private static final String ACCEPTED =
      "{\"id\":\"x\",\"partition\":4,\"offset\":9,\"shard\":\"eu\",\"token\":\"t\"}";

  @Test
  void retriesARequestWhoseConnectionWasResetAndGetsItsAnswer() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger requests = new AtomicInteger();
      List<String> authorizations = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 2; i++) {
                  try (Socket connection = server.accept()) {
                    authorizations.add(readRequest(connection.getInputStream()));
                    requests.incrementAndGet();
                    if (i == 0) {
                      // SO_LINGER 0: close sends a TCP reset, not an orderly end of the stream.
                      connection.setSoLinger(true, 0);
                    } else {
                      answer(connection.getOutputStream(), ACCEPTED);
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      try (HttpSink sink =
          new HttpSink(
              URI.create("http://127.0.0.1:" + server.getLocalPort()),
              false,
              1,
              1,
              Duration.ofSeconds(10),
              "a-bearer-token")) {
        List<Ack> acks = sink.send(List.of(tweet())).get(30, TimeUnit.SECONDS);

        assertThat(acks).containsExactly(new Ack(4, 9, "t"));
      }
      serving.get(30, TimeUnit.SECONDS);
      assertThat(requests).hasValue(2);
      assertThat(authorizations)
          .as("the retry carries the token too")
          .containsExactly("Bearer a-bearer-token", "Bearer a-bearer-token");
    }
  }

  private static Event tweet() {
    return TweetEvent.upsert(UUID.randomUUID(), Instant.now(), "europe", 42, "hello", 0);
  }

  /**
   * Reads one request: the head up to its blank line, then Content-Length bytes of body; returns
   * its Authorization header, or an empty string.
   */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the request ended inside its head");
      }
      head.write(b);
    }
    int length = 0;
    String authorization = "";
    for (String line : head.toString(US_ASCII).split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      } else if (lower.startsWith("authorization:")) {
        authorization = line.substring("authorization:".length()).strip();
      }
    }
    in.readNBytes(length);
    return authorization;
  }

  private static void answer(OutputStream out, String json) throws IOException {
    byte[] body = json.getBytes(UTF_8);
    out.write(
        ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(US_ASCII));
    out.write(body);
    out.flush();
  }
}
