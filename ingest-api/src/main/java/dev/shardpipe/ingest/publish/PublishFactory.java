package dev.shardpipe.ingest.publish;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.config.TopicLayout;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.configuration.kafka.config.KafkaProducerConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the publisher once the events topic is known to have P partitions, from Micronaut's {@code
 * kafka.*} settings with {@code kafka.producers.ingest-api.*} on top, and then the settings the 202
 * promise depends on, which configuration cannot override.
 */
@Factory
final class PublishFactory {

  /** The name of the producer block in configuration. */
  static final String CLIENT_NAME = "ingest-api";

  @Context
  @Bean(preDestroy = "close")
  EventPublisher publisher(
      KafkaDefaultConfiguration defaults,
      Environment environment,
      PipelineConfiguration pipeline,
      Placement placement,
      EventCodec codec,
      AdminClient admin)
      throws InterruptedException {
    TopicLayout.verify(
        admin, pipeline.topic(), pipeline.partitions(), pipeline.topicCheckTimeout());
    Properties config =
        new KafkaProducerConfiguration<String, byte[]>(CLIENT_NAME, defaults, environment)
            .getConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ShardKeyPartitioner.class.getName());
    config.put(ShardKeyPartitioner.PARTITIONS_CONFIG, Integer.toString(pipeline.partitions()));
    config.put(ShardKeyPartitioner.TWEET_LOCATIONS_CONFIG, pipeline.tweetLocations());
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_NAME);
    return new EventPublisher(
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()),
        codec,
        placement,
        pipeline.topic());
  }

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Time-ordered UUIDv7 ids (RFC 9562), so ids of one client sort roughly by creation. */
  @Singleton
  TimeBasedEpochGenerator idGenerator() {
    return Generators.timeBasedEpochGenerator();
  }
}
