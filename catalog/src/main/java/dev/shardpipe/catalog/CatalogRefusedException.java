package dev.shardpipe.catalog;

/**
 * A catalog change refused because it would break a rule (an unknown shard, a partition already
 * moving, the last shard of a region drained, ...). The message is one line that names what is
 * wrong and, where there is one, what to do instead; tools print it as it is.
 */
public final class CatalogRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason one line, such as {@code partition 5 is moving (move 3, catching_up); wait or
   *     `shardctl abort 3`}
   */
  public CatalogRefusedException(String reason) {
    super(reason);
  }
}
