package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The body of {@code GET /stats} (docs/query-service.md).
 *
 * @param topic the events topic
 * @param version the placement version every number of this answer was read with: which partitions
 *     each shard holds, and which moves are under way
 * @param catalogAnswered whether the catalog answered its last read; when not, the placement is the
 *     last one read, which the service keeps serving with
 * @param kafkaAnswered whether Kafka reported the topic's end offsets in time; when not, every end
 *     offset and lag is {@code null}
 * @param shards every shard of the placement, in placement order, each with the partitions placed
 *     on it
 * @param moves the moves under way, by id
 * @param totals sums over every shard; a total is {@code null} when one of its parts is
 * @param deadLetters records the writers have put on the dead-letter topic, the sum of its end
 *     offsets; null when Kafka did not report them
 * @param partial true when any number of this answer is {@code null}: a shard did not answer, a
 *     shard's rows were not counted in time, or Kafka did not answer
 * @param missingShards the shards whose applied offsets could not be read within {@code
 *     shardpipe.query.query-timeout}: nothing is known of them
 * @param uncountedShards the shards whose rows were not counted within {@code
 *     shardpipe.query.stats-timeout}; their offsets and lag may still be there
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Stats(
    String topic,
    long version,
    boolean catalogAnswered,
    boolean kafkaAnswered,
    List<ShardStats> shards,
    List<MoveStats> moves,
    Totals totals,
    @Nullable Long deadLetters,
    boolean partial,
    List<String> missingShards,
    List<String> uncountedShards) {}
