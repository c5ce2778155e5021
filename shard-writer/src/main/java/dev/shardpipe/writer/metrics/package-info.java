/**
 * The writer's meters on {@code /prometheus}, each tagged with its shard: rows written, records,
 * batch size, transaction time, lag per partition, dead letters by cause and forwards
 * (docs/configuration.md).
 *
 * <p>Micrometer only: no Kafka or database code.
 */
package dev.shardpipe.writer.metrics;
