package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * Sums over the shards that answered.
 *
 * @param rows rows per table
 * @param appliedOffset the sum of applied offsets: records applied, since offsets start at 0
 * @param endOffset the sum of end offsets over every partition: records ever written to the topic,
 *     or null when Kafka did not answer
 * @param lag the sum of lags, or null when Kafka did not answer
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Totals(
    RowCounts rows, long appliedOffset, @Nullable Long endOffset, @Nullable Long lag) {}
