package dev.shardpipe.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link EventCodec} as Kafka's serializer and deserializer, created the way a client creates them:
 * from the class name in its configuration.
 */
class EventCodecSerdeTest {

  private static final UUID ID = UUID.fromString("0192f1c4-5b3e-7cc1-9d0e-2f7a3c8b9e10");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:00Z");
  private static final String TOPIC = "events";

  @SuppressWarnings("unchecked")
  private static Serializer<Event> serializerByName() {
    ProducerConfig config =
        new ProducerConfig(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    "dev.shardpipe.core.event.EventCodec"));
    Serializer<Event> serializer =
        config.getConfiguredInstance(
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Serializer.class);
    serializer.configure(config.originals(), false);
    return serializer;
  }

  @SuppressWarnings("unchecked")
  private static Deserializer<Event> deserializerByName() {
    ConsumerConfig config =
        new ConsumerConfig(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    "dev.shardpipe.core.event.EventCodec"));
    Deserializer<Event> deserializer =
        config.getConfiguredInstance(
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, Deserializer.class);
    deserializer.configure(config.originals(), false);
    return deserializer;
  }

  @Test
  void serializesByClassNameTheBytesThePipelineWrites() {
    TweetEvent tweet = TweetEvent.upsert(ID, AT, "europe", 42, "hello", 0);
    FileEvent file = FileEvent.upsert(ID, AT, 7, "docs/report.pdf", 18230L, "application/pdf");
    EventCodec pipeline = new EventCodec(JsonMapper.createDefault());
    try (Serializer<Event> serializer = serializerByName()) {
      assertThat(serializer).isInstanceOf(EventCodec.class);
      assertThat(serializer.serialize(TOPIC, tweet)).isEqualTo(pipeline.encode(tweet));
      assertThat(serializer.serialize(TOPIC, file)).isEqualTo(pipeline.encode(file));
      assertThat(serializer.serialize(TOPIC, null)).isNull();
    }
  }

  @Test
  void roundTripsEveryKindAndOpThroughSerializerAndDeserializer() {
    Event[] events = {
      TweetEvent.upsert(ID, AT, "europe", 42, "hello", 3),
      TweetEvent.delete(ID, AT, "usa", 7),
      FileEvent.upsert(ID, AT, 7, "a.txt", null, null),
      FileEvent.delete(ID, AT, 7)
    };
    try (Serializer<Event> serializer = serializerByName();
        Deserializer<Event> deserializer = deserializerByName()) {
      for (Event event : events) {
        assertThat(deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, event)))
            .isEqualTo(event);
      }
    }
  }

  @Test
  void refusesAnInvalidRecordWithKafkasSerializationExceptionNamingEveryViolation() {
    byte[] value =
        ("{\"type\":\"tweet\",\"id\":\""
                + ID
                + "\",\"occurred_at\":\"2026-11-21T10:15:00Z\","
                + "\"data\":{\"owner_id\":-1,\"text\":\"hi\"}}")
            .getBytes(UTF_8);
    try (Deserializer<Event> deserializer = deserializerByName()) {
      assertThatThrownBy(() -> deserializer.deserialize(TOPIC, value))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("data.location: is required")
          .hasMessageContaining("data.owner_id: must be >= 0, was -1")
          .cause()
          .isInstanceOf(InvalidEventException.class);
      assertThatThrownBy(() -> deserializer.deserialize(TOPIC, null))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("tombstone");
    }
  }
}
