/**
 * Routing, event to partition (docs/contract.md §4): the pure function of the shard key that never
 * changes for the life of the topic, the shard key as written in a record key, partition ranges,
 * and the Kafka partitioner that lets any Java producer route as ingest-api does.
 *
 * <p>Part of core, which every module uses: it may not use any other module of the project nor
 * Micronaut's HTTP layer. Kafka's own {@code murmur2} and {@code toPositive} are used on purpose,
 * so that any client can reproduce the function.
 */
package dev.shardpipe.core.routing;
