package dev.shardpipe.core.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event of any kind with its data as the envelope carries it, by field name: the form of every
 * event of a kind that has no record of its own, which {@link EventKind#event} builds for it. An
 * event of a kind with a typed record ({@link TweetEvent}, {@link FileEvent}) may take this form
 * too; {@link EventKind#values} reads both alike, and the codec encodes both the same way.
 *
 * @param type the kind, which gives the fields and their rules
 * @param op upsert or delete
 * @param id the row's id
 * @param occurredAt when it happened, truncated to microseconds
 * @param data the fields the op reads, by wire name in wire order: {@link String} for text, {@link
 *     Long} for integers, an absent optional field left out; unmodifiable
 */
public record DataEvent(
    EventKind type, Op op, UUID id, Instant occurredAt, Map<String, Object> data) implements Event {

  /**
   * Checks the event as {@link EventKind#event} does: keeps the fields the op reads, in wire order,
   * and ignores the others (a delete's {@code text}, a name the kind does not have); truncates
   * {@code occurredAt} to microseconds.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException naming the first field that is missing, not a {@link String}
   *     or {@link Long} as its type requires, or breaks its rule
   */
  public DataEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(id, "id");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    data = Collections.unmodifiableMap(type.checked(op, Objects.requireNonNull(data, "data")));
  }

  /**
   * Returns the key fields' values joined by {@code /}, as {@link EventKind#shardKey} builds it.
   *
   * @return such as {@code europe/42} for a tweet, {@code 42} for a file
   */
  @Override
  public String shardKey() {
    return type.shardKey(data);
  }
}
