package dev.shardpipe.query.shard;

import dev.shardpipe.core.event.EventField;
import dev.shardpipe.core.event.EventKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Encoder;
import io.micronaut.serde.Serializer;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of any event kind's table (docs/contract.md §5), read through {@link
 * KindTable#of(EventKind)}, as the API returns it: the same JSON a typed row of the kind gives,
 * such as {@link TweetRow} or {@link FileRow}. {@code id}, each field of the kind under its wire
 * name in wire order, then {@code occurred_at}, {@code partition}, {@code shard} and {@code
 * ingested_at}; text as a string, an integer as a number, an absent value as {@code null}; instants
 * as RFC 3339 strings in UTC, written by the serializer that writes a typed row's.
 *
 * <p>Written by {@link Writer}, a serializer bean that serde finds by the type it serializes. The
 * type carries no {@code @Serdeable}: without the bean, writing a row fails ("no serializable
 * introspection") rather than writing {@code {}}, as an introspection without properties would. A
 * class rather than a record, so that the OpenAPI document describes the row by its JSON rather
 * than by its Java components.
 */
@Schema(
    name = "DataRow",
    type = "object",
    description =
        "A row of the collection's kind: id, each field of the kind by its wire name (a string, an"
            + " integer, or null when absent), occurred_at, partition, shard and ingested_at",
    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
public final class DataRow implements ShardRow {

  private final EventKind kind;
  private final UUID id;
  private final List<@Nullable Object> values;
  private final Instant occurredAt;
  private final int partition;
  private final String shard;
  private final Instant ingestedAt;

  /**
   * Builds a row.
   *
   * @param kind the kind whose table the row is of
   * @param id the row's id
   * @param values the value of each of the kind's fields, in {@link EventKind#fields()} order: a
   *     {@link String} for text, a {@link Long} for an integer, or null when the column is null
   * @param occurredAt when the row's version happened, microsecond precision
   * @param partition the partition routing chose for it (docs/contract.md §4)
   * @param shard the shard the row was read from
   * @param ingestedAt when the writer last wrote the row
   * @throws IllegalArgumentException naming the first value that does not fit its field
   */
  public DataRow(
      EventKind kind,
      UUID id,
      List<@Nullable Object> values,
      Instant occurredAt,
      int partition,
      String shard,
      Instant ingestedAt) {
    List<EventField> fields = kind.fields();
    if (values.size() != fields.size()) {
      throw new IllegalArgumentException(
          kind + " has " + fields.size() + " fields, got " + values.size() + " values");
    }
    for (int i = 0; i < fields.size(); i++) {
      Object value = values.get(i);
      Class<?> type = fields.get(i).type() == EventField.Type.TEXT ? String.class : Long.class;
      if (value != null && !type.isInstance(value)) {
        throw new IllegalArgumentException(
            fields.get(i).name() + " must be a " + type.getSimpleName() + ", was " + value);
      }
    }
    this.kind = kind;
    this.id = Objects.requireNonNull(id, "id");
    this.values = Collections.unmodifiableList(Arrays.asList(values.toArray()));
    this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
    this.partition = partition;
    this.shard = Objects.requireNonNull(shard, "shard");
    this.ingestedAt = Objects.requireNonNull(ingestedAt, "ingestedAt");
  }

  /**
   * Returns the kind whose table the row is of.
   *
   * @return the kind
   */
  public EventKind kind() {
    return kind;
  }

  @Override
  public UUID id() {
    return id;
  }

  /**
   * Returns one field's value.
   *
   * @param name a field's wire name
   * @return a {@link String} for text, a {@link Long} for an integer, or null when absent
   * @throws IllegalArgumentException if the kind has no such field
   */
  public @Nullable Object value(String name) {
    List<EventField> fields = kind.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return values.get(i);
      }
    }
    throw new IllegalArgumentException(kind + " has no field " + name);
  }

  @Override
  public Instant occurredAt() {
    return occurredAt;
  }

  /**
   * Returns the partition routing chose for the row.
   *
   * @return the partition
   */
  public int partition() {
    return partition;
  }

  /**
   * Returns the shard the row was read from.
   *
   * @return the shard's name
   */
  public String shard() {
    return shard;
  }

  /**
   * Returns when the writer last wrote the row.
   *
   * @return the instant, microsecond precision
   */
  public Instant ingestedAt() {
    return ingestedAt;
  }

  /** Writes a row field by field, so that its JSON is the typed row's of the same kind. */
  @Singleton
  static final class Writer implements Serializer<DataRow> {

    private static final Argument<UUID> UUID_TYPE = Argument.of(UUID.class);
    private static final Argument<Instant> INSTANT_TYPE = Argument.of(Instant.class);

    @Override
    public void serialize(
        Encoder encoder, EncoderContext context, Argument<? extends DataRow> type, DataRow row)
        throws IOException {
      // The same serializers as a typed row's components, so that ids and instants are written
      // exactly as there, whatever the serde configuration says about dates.
      Serializer<? super UUID> ids = context.findSerializer(UUID_TYPE);
      Serializer<? super Instant> instants = context.findSerializer(INSTANT_TYPE);
      try (Encoder object = encoder.encodeObject(type)) {
        object.encodeKey("id");
        ids.createSpecific(context, UUID_TYPE).serialize(object, context, UUID_TYPE, row.id());
        List<EventField> fields = row.kind.fields();
        for (int i = 0; i < fields.size(); i++) {
          object.encodeKey(fields.get(i).name());
          Object value = row.values.get(i);
          if (value == null) {
            object.encodeNull();
          } else if (value instanceof Long number) {
            object.encodeLong(number);
          } else {
            object.encodeString((String) value);
          }
        }
        Serializer<? super Instant> instant = instants.createSpecific(context, INSTANT_TYPE);
        object.encodeKey("occurred_at");
        instant.serialize(object, context, INSTANT_TYPE, row.occurredAt());
        object.encodeKey("partition");
        object.encodeInt(row.partition());
        object.encodeKey("shard");
        object.encodeString(row.shard());
        object.encodeKey("ingested_at");
        instant.serialize(object, context, INSTANT_TYPE, row.ingestedAt());
      }
    }
  }
}
