package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The body of {@code GET /stats} (SPEC 7).
 *
 * @param topic the events topic
 * @param kafkaAnswered whether Kafka reported the topic's end offsets in time; when not, every end
 *     offset and lag is {@code null}
 * @param shards every shard of the placement, in placement order
 * @param totals sums over the shards that answered
 * @param partial true when a shard did not answer
 * @param missingShards the shards that did not answer
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Stats(
    String topic,
    boolean kafkaAnswered,
    List<ShardStats> shards,
    Totals totals,
    boolean partial,
    List<String> missingShards) {}
