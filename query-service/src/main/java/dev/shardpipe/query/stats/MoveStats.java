package dev.shardpipe.query.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.time.Instant;

/**
 * A move of a partition between shards that is under way, as the placement version of the answer
 * records it.
 *
 * @param id the move's id in the catalog
 * @param partition the partition moved
 * @param from the shard it leaves
 * @param to the shard it goes to
 * @param state where the move is: {@code copying}, {@code catching_up}, {@code cutover} or {@code
 *     cleaning}
 * @param rowsCopied rows and tombstones copied to the target so far
 * @param lag records of the partition on the topic that the target has not applied: the partition's
 *     end offset minus the target's applied offset for it (0 when the target has none yet); null
 *     when Kafka or the target shard did not answer
 * @param startedAt when the move was started
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MoveStats(
    long id,
    int partition,
    String from,
    String to,
    String state,
    long rowsCopied,
    @Nullable Long lag,
    Instant startedAt) {}
