package dev.shardpipe.core.token;

/** A read token that is malformed, or was not signed with the shared secret. */
public final class InvalidReadTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, written for the client: it never includes the secret or the
   *     expected signature
   */
  public InvalidReadTokenException(String message) {
    super(message, null, false, false);
  }
}
