package dev.shardpipe.shardctl;

/**
 * A command that cannot be done: the message is the one line shardctl prints before it exits 1,
 * naming what went wrong and, where there is one, what to do.
 */
final class ShardctlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ShardctlException(String reason) {
    super(reason);
  }

  ShardctlException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
