package dev.shardpipe.ingest.publish;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.config.TopicLayout;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.core.token.ReadTokenConfiguration;
import dev.shardpipe.ingest.config.IngestConfiguration;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.configuration.kafka.config.KafkaProducerConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the publisher once the events topic is known to have P partitions, from Micronaut's {@code
 * kafka.*} settings with {@code kafka.producers.ingest-api.*} on top, and then the settings the 202
 * promise depends on, which configuration cannot override.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Factory
final class PublishFactory {

  /** The name of the producer block in configuration. */
  static final String CLIENT_NAME = "ingest-api";

  private static final long DEFAULT_MAX_BLOCK_MS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(PublishFactory.class);

  @Context
  @Bean(preDestroy = "close")
  EventPublisher publisher(
      KafkaDefaultConfiguration defaults,
      Environment environment,
      PipelineConfiguration pipeline,
      PlacementSource placements,
      ReadTokenCodec tokens,
      EventCodec codec,
      AdminClient admin,
      IngestConfiguration ingest,
      IngestMetrics metrics,
      Clock clock)
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
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    // Fetch the topic's metadata now, so that the first request's send() does not wait for it.
    producer.partitionsFor(pipeline.topic());
    return new EventPublisher(
        producer,
        codec,
        placements,
        tokens,
        pipeline.topic(),
        ingest.maxInFlightEvents(),
        maxBlock(config),
        metrics,
        clock);
  }

  /** The producer's {@code max.block.ms}, parsed as Kafka parses it; Kafka's default is 60 s. */
  private static Duration maxBlock(Properties config) {
    Object value = config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
    return Duration.ofMillis(
        value == null
            ? DEFAULT_MAX_BLOCK_MS
            : (Long)
                ConfigDef.parseType(
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, value, ConfigDef.Type.LONG));
  }

  /**
   * The codec that signs read tokens, created with the context so that a bad secret stops start-up
   * and the warning about the default secret comes early in the log.
   */
  @Context
  ReadTokenCodec readTokenCodec(ReadTokenConfiguration config) {
    if (config.usesDefaultSecret()) {
      LOG.warn(ReadTokenConfiguration.DEFAULT_SECRET_WARNING);
    }
    return config.codec();
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
