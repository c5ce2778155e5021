package dev.shardpipe.bench.drain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The writers' batch-size and transaction-time meters, read from their {@code /prometheus}
 * endpoints at the end of a drain and summed.
 *
 * @param transactions partition transactions committed
 * @param records records those transactions covered
 * @param transactionSeconds time spent in them
 */
public record WriterMeters(long transactions, double records, double transactionSeconds) {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Returns the mean records per transaction.
   *
   * @return records per transaction, 0 without any
   */
  public double meanBatchSize() {
    return transactions == 0 ? 0 : records / transactions;
  }

  /**
   * Returns the mean transaction time.
   *
   * @return milliseconds per transaction, 0 without any
   */
  public double meanTransactionMillis() {
    return transactions == 0 ? 0 : transactionSeconds * 1000 / transactions;
  }

  static WriterMeters scrape(List<Integer> ports) throws IOException, InterruptedException {
    long transactions = 0;
    double records = 0;
    double seconds = 0;
    for (int port : ports) {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                      // Generous: on a machine shared with other work a writer that has just
                      // drained a million rows can take seconds to answer.
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  BodyHandlers.ofString())
              .body();
      transactions += (long) value(body, "shardpipe_writer_batch_size_count");
      records += value(body, "shardpipe_writer_batch_size_sum");
      seconds += value(body, "shardpipe_writer_transaction_seconds_sum");
    }
    return new WriterMeters(transactions, records, seconds);
  }

  private static double value(String prometheus, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(prometheus);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
