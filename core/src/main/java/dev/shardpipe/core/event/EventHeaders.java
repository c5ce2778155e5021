package dev.shardpipe.core.event;

/**
 * The Kafka record headers the pipeline itself writes on events it sends on: a writer's dead
 * letters and forwards, and {@code shardctl dlq replay}'s replays (docs/contract.md §3). Values are
 * UTF-8 text; numbers are written in decimal. Producers never set them; a consumer of the
 * dead-letter topic reads them to learn why and from where a record came.
 */
public final class EventHeaders {

  /** Why a record is a dead letter: every broken rule, or the database's refusal. */
  public static final String ERROR = "shardpipe.error";

  /** The topic a dead letter or forward was consumed from. */
  public static final String SOURCE_TOPIC = "shardpipe.source.topic";

  /** The partition a dead letter or forward was consumed from. */
  public static final String SOURCE_PARTITION = "shardpipe.source.partition";

  /** The offset a dead letter or forward was consumed from. */
  public static final String SOURCE_OFFSET = "shardpipe.source.offset";

  /** The shard whose writer sent the record on. */
  public static final String SHARD = "shardpipe.shard";

  /**
   * On a replayed dead letter: the dead-letter topic, partition and offset it was replayed from, as
   * {@code <topic>/<partition>/<offset>}.
   */
  public static final String REPLAYED_FROM = "shardpipe.replayed-from";

  private EventHeaders() {}
}
