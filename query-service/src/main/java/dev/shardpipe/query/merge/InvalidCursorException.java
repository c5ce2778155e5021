package dev.shardpipe.query.merge;

/**
 * A cursor that cannot be used: malformed, altered, or issued for another query. The message is
 * written for the client, as the text of a field error on {@code cursor}.
 */
public final class InvalidCursorException extends Exception {

  private static final long serialVersionUID = 1L;

  InvalidCursorException(String message) {
    super(message, null, false, false);
  }
}
