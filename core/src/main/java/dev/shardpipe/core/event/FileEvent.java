package dev.shardpipe.core.event;

import dev.shardpipe.core.routing.ShardKey;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * File metadata upserted or deleted.
 *
 * @param op upsert or delete
 * @param id the file's id
 * @param occurredAt when it happened, truncated to microseconds
 * @param data the metadata; its {@code file_name} is required for an upsert
 */
public record FileEvent(Op op, UUID id, Instant occurredAt, FileMetadata data) implements Event {

  /**
   * Checks the event and truncates {@code occurredAt} to microseconds.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if an upsert has no file name
   */
  public FileEvent {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(id, "id");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(data, "data");
    if (op == Op.UPSERT && data.fileName() == null) {
      throw new IllegalArgumentException("file_name: is required for an upsert");
    }
  }

  /**
   * Creates an upsert.
   *
   * @param id the file's id
   * @param occurredAt when it happened
   * @param userId {@code >= 0}
   * @param fileName 1 to 1024 characters, no NUL
   * @param sizeBytes {@code >= 0}, or null when unknown
   * @param contentType the media type, or null when unknown
   * @return the event
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static FileEvent upsert(
      UUID id,
      Instant occurredAt,
      long userId,
      String fileName,
      @Nullable Long sizeBytes,
      @Nullable String contentType) {
    return new FileEvent(
        Op.UPSERT, id, occurredAt, new FileMetadata(userId, fileName, sizeBytes, contentType));
  }

  /**
   * Creates a delete; it carries the shard key so that it can be routed.
   *
   * @param id the file's id
   * @param occurredAt when it happened
   * @param userId the file's owner
   * @return the event
   * @throws IllegalArgumentException if {@code userId < 0}
   */
  public static FileEvent delete(UUID id, Instant occurredAt, long userId) {
    return new FileEvent(Op.DELETE, id, occurredAt, new FileMetadata(userId, null, null, null));
  }

  @Override
  public EventKind type() {
    return EventKind.FILE;
  }

  @Override
  public String shardKey() {
    return ShardKey.ofFile(data.userId());
  }
}
