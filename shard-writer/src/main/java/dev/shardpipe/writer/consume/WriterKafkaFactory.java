package dev.shardpipe.writer.consume;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.writer.config.WriterShard;
import dev.shardpipe.writer.redirect.RecordRedirector;
import io.micronaut.configuration.kafka.config.KafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.configuration.kafka.config.KafkaProducerConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates the writer's Kafka consumer and the redirector's producer from Micronaut's {@code
 * kafka.*} settings, with the named blocks {@code kafka.consumers.shard-writer.*} and {@code
 * kafka.producers.shard-writer.*} on top, and then the few settings correctness depends on, which
 * configuration cannot override.
 */
@Factory
final class WriterKafkaFactory {

  /** The name of the writer's consumer and producer blocks in configuration. */
  static final String CLIENT_NAME = "shard-writer";

  @Singleton
  Supplier<Consumer<byte[], byte[]>> consumerFactory(
      KafkaDefaultConfiguration defaults, Environment environment, WriterShard shard) {
    return () -> {
      Properties config =
          new KafkaConsumerConfiguration<byte[], byte[]>(CLIENT_NAME, defaults, environment)
              .getConfig();
      // Offsets live in the shard's applied_offsets, committed with the rows; the consumer uses
      // assign() without a group, and a missing offset is an error, not a silent reset.
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
      config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_NAME + "-" + shard.name());
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    };
  }

  @Singleton
  @Bean(preDestroy = "close")
  RecordRedirector redirector(
      KafkaDefaultConfiguration defaults,
      Environment environment,
      WriterShard shard,
      PipelineConfiguration pipeline) {
    Properties config =
        new KafkaProducerConfiguration<byte[], byte[]>(CLIENT_NAME, defaults, environment)
            .getConfig();
    // A dead letter or forward must be durable before the offset moves past its source record.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_NAME + "-" + shard.name());
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    return new RecordRedirector(producer, pipeline.topic(), pipeline.dlqTopic(), shard.name());
  }
}
