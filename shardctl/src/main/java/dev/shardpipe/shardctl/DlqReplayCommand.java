package dev.shardpipe.shardctl;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.EventHeaders;
import dev.shardpipe.core.event.InvalidEventException;
import dev.shardpipe.core.routing.Routing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shardctl dlq replay}: publishes dead letters to the events topic again, once whatever made
 * the writers refuse them is fixed.
 *
 * <p>It reads the dead-letter topic from its start up to the end offsets it finds when it starts,
 * so records that arrive meanwhile wait for the next run. Each record's value is decoded as an
 * event by the same rules the writers use: one that still is no event stays where it is and is
 * counted with its reason; every other one is published with its original key to the partition
 * routing gives it now, with a {@value EventHeaders#REPLAYED_FROM} header naming where it came
 * from. Replaying a record twice is harmless: an event carries its id and version, and a writer
 * applying the same version again changes nothing. The dead-letter topic is left as it is.
 */
@Command(
    name = "replay",
    description =
        "Publishes the dead letters that are valid events to the events topic again, with their"
            + " original keys, and reports how many went to which partition and which were left"
            + " because they still are no event.")
final class DlqReplayCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final int MAX_EMPTY_POLLS = 20;
  private static final int REASONS_SHOWN = 3;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Option(
      names = "--dlq-topic",
      defaultValue = "${env:SHARDPIPE_DLQ_TOPIC:-" + PipelineConfiguration.DEFAULT_DLQ_TOPIC + "}",
      description = "The dead-letter topic (env SHARDPIPE_DLQ_TOPIC; default: ${DEFAULT-VALUE}).")
  String dlqTopic;

  @Option(
      names = "--error-contains",
      paramLabel = "TEXT",
      description = "Only dead letters whose shardpipe.error header contains this text.")
  @Nullable
  String errorContains;

  @Option(names = "--dry-run", description = "Report what would be published; publish nothing.")
  boolean dryRun;

  /** What one run found, for the report. */
  private static final class Tally {
    final SortedMap<Integer, Integer> published = new TreeMap<>();
    final Map<String, Integer> invalid = new HashMap<>();
    int filtered;
    int read;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EventCodec codec = new EventCodec(JsonMapper.createDefault());
    Tally tally = new Tally();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer();
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Routing routing =
          Routing.of(
              producer.partitionsFor(connection.topic).size(),
              connection.topology().tweetLocations());
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlqTopic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      int emptyPolls = 0;
      while (!reachedEnd(consumer, end) && emptyPolls < MAX_EMPTY_POLLS) {
        var records = consumer.poll(POLL);
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
            continue;
          }
          tally.read++;
          ProducerRecord<byte[], byte[]> replay = replay(record, codec, routing, tally);
          if (replay != null && !dryRun) {
            acks.add(producer.send(replay));
          }
        }
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      report(out, tally);
      if (!reachedEnd(consumer, end)) {
        spec.commandLine()
            .getErr()
            .printf(
                "shardctl: stopped before the end of %s: no record came for %d s%n",
                dlqTopic, POLL.multipliedBy(MAX_EMPTY_POLLS).toSeconds());
        return ShardctlCommand.FAILED;
      }
    }
    return 0;
  }

  /** The record to publish for one dead letter, or null when it is left, counted in the tally. */
  private @Nullable ProducerRecord<byte[], byte[]> replay(
      ConsumerRecord<byte[], byte[]> record, EventCodec codec, Routing routing, Tally tally) {
    Header error = record.headers().lastHeader(EventHeaders.ERROR);
    String reason = error == null ? "" : new String(error.value(), UTF_8);
    if (errorContains != null && !reason.contains(errorContains)) {
      tally.filtered++;
      return null;
    }
    Event event;
    try {
      event = codec.decode(record.value());
    } catch (InvalidEventException e) {
      tally.invalid.merge(e.getMessage(), 1, Integer::sum);
      return null;
    }
    int partition = routing.partitionFor(event);
    tally.published.merge(partition, 1, Integer::sum);
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        EventHeaders.REPLAYED_FROM,
        (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(UTF_8));
    byte[] key = record.key() != null ? record.key() : event.shardKey().getBytes(UTF_8);
    return new ProducerRecord<>(connection.topic, partition, key, record.value(), headers);
  }

  private static boolean reachedEnd(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void report(PrintWriter out, Tally tally) {
    int published = tally.published.values().stream().mapToInt(Integer::intValue).sum();
    out.printf(
        "%s %d of %d dead letters to %s%s%n",
        dryRun ? "would publish" : "published",
        published,
        tally.read,
        connection.topic,
        published == 0
            ? ""
            : ": "
                + tally.published.entrySet().stream()
                    .map(e -> "partition " + e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
    if (tally.filtered > 0) {
      out.printf("left %d whose error does not contain \"%s\"%n", tally.filtered, errorContains);
    }
    if (!tally.invalid.isEmpty()) {
      int invalid = tally.invalid.values().stream().mapToInt(Integer::intValue).sum();
      out.printf(
          "left %d that still are no event: %s%n",
          invalid,
          tally.invalid.entrySet().stream()
              .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
              .limit(REASONS_SHOWN)
              .map(e -> e.getValue() + " × " + e.getKey())
              .collect(Collectors.joining("; ")));
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
