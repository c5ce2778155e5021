package dev.shardpipe.ingest.publish;

/**
 * Thrown (as the cause of a failed publish) when taking a request's events would exceed {@code
 * shardpipe.ingest.max-in-flight-events}. Nothing of the request was sent, so a retry later is
 * safe.
 */
public final class PublisherBusyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param requested the request's event count
   * @param limit the in-flight limit
   */
  public PublisherBusyException(int requested, int limit) {
    super(
        "cannot take "
            + requested
            + " more events: "
            + limit
            + " may wait for Kafka's acknowledgement at once",
        null,
        false,
        false);
  }
}
