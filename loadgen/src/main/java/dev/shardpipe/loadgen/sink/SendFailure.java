package dev.shardpipe.loadgen.sink;

/**
 * A request that was not acknowledged: nothing of it counts as sent.
 *
 * <p>{@link #cause()} is what a report groups failures by: {@code http 503}, {@code http 400},
 * {@code connection}, {@code timeout}, {@code kafka TimeoutException}, ...
 */
public final class SendFailure extends RuntimeException {

  private final String cause;

  /**
   * Creates a failure.
   *
   * @param cause the group, such as {@code http 503}
   * @param detail what the server or client said, shortened
   */
  public SendFailure(String cause, String detail) {
    super(cause + ": " + detail);
    this.cause = cause;
  }

  /**
   * Returns the group this failure is counted in.
   *
   * @return such as {@code http 503}
   */
  public String cause() {
    return cause;
  }
}
