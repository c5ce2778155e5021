package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * Sums over every shard. A sum one of whose parts is unknown is {@code null} rather than a smaller
 * number that would look real: a lag of 0 that only means "not measured" is worse than none.
 *
 * @param rows rows per table, or null when a shard's rows were not counted
 * @param appliedOffset the sum of applied offsets: records applied, since offsets start at 0; null
 *     when a shard did not answer
 * @param endOffset the sum of end offsets over every partition: records ever written to the topic,
 *     or null when Kafka did not answer
 * @param lag the sum of lags, or null when Kafka or a shard did not answer
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Totals(
    @Nullable RowCounts rows,
    @Nullable Long appliedOffset,
    @Nullable Long endOffset,
    @Nullable Long lag) {}
