package dev.shardpipe.bench.peer;

import dev.shardpipe.core.event.Op;
import dev.shardpipe.core.event.TweetEvent;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;

/**
 * A tweet as a row of the shard's {@code tweets} table in Kafka Connect's JSON with an embedded
 * schema ({@code {"schema": ..., "payload": ...}}), written by Connect's own {@link JsonConverter},
 * which is what the worker's value converter reads back. Every column but {@code ingested_at} (the
 * table's default fills it) is a field of the same name.
 *
 * <p>The id and {@code occurred_at} carry Debezium's semantic schema names ({@value #UUID} and
 * {@value #ZONED_TIMESTAMP}), so that the Debezium JDBC sink binds them as {@code uuid} and {@code
 * timestamptz}; as plain strings it would bind {@code varchar}, which PostgreSQL refuses for those
 * columns.
 */
public final class TweetConnectJson {

  /** Debezium's schema name for a UUID carried as a string. */
  public static final String UUID = "io.debezium.data.Uuid";

  /** Debezium's schema name for an ISO-8601 timestamp with its offset, carried as a string. */
  public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

  /** The value schema: one field per column, none optional. */
  public static final Schema SCHEMA =
      SchemaBuilder.struct()
          .name("dev.shardpipe.bench.tweet")
          .field("id", SchemaBuilder.string().name(UUID).version(1).build())
          .field("location", Schema.STRING_SCHEMA)
          .field("owner_id", Schema.INT64_SCHEMA)
          .field("text", Schema.STRING_SCHEMA)
          .field("like_count", Schema.INT32_SCHEMA)
          .field("occurred_at", SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1).build())
          .field("partition", Schema.INT32_SCHEMA)
          .build();

  private final JsonConverter converter = new JsonConverter();

  /** A value converter with schemas enabled, as the worker configures its own. */
  public TweetConnectJson() {
    converter.configure(
        Map.of(
            JsonConverterConfig.SCHEMAS_ENABLE_CONFIG,
            true,
            ConverterConfig.TYPE_CONFIG,
            ConverterType.VALUE.getName()));
  }

  /**
   * Returns a tweet as the Connect record value of its row.
   *
   * @param topic the topic the value goes to (the converter's API asks for it; JSON ignores it)
   * @param event an upsert of a tweet
   * @param partition the partition the pipeline routes it to: the row's {@code partition} column
   * @return UTF-8 JSON, {@code {"schema":{...},"payload":{"id":"...",...}}}
   * @throws IllegalArgumentException if the event is a delete, which has no row
   */
  public byte[] encode(String topic, TweetEvent event, int partition) {
    return converter.fromConnectData(topic, SCHEMA, row(event, partition));
  }

  /**
   * Returns a tweet as the Connect struct of its row.
   *
   * @param event an upsert of a tweet
   * @param partition its partition
   * @return a struct of {@link #SCHEMA}; {@code occurred_at} as {@link Instant#toString()}
   * @throws IllegalArgumentException if the event is a delete
   */
  static Struct row(TweetEvent event, int partition) {
    if (event.op() != Op.UPSERT) {
      throw new IllegalArgumentException("a delete has no row: " + event.id());
    }
    return new Struct(SCHEMA)
        .put("id", event.id().toString())
        .put("location", event.data().location())
        .put("owner_id", event.data().ownerId())
        .put("text", event.data().text())
        .put("like_count", event.data().likeCount())
        .put("occurred_at", event.occurredAt().toString())
        .put("partition", partition);
  }
}
