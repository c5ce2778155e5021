/**
 * The settings every service shares, so that they agree on the topic, routing and placement
 * (docs/contract.md §4, §9, docs/configuration.md): where the shard databases are, the pipeline's
 * keys, the beans built from them at start-up, and the check that the events topic has P
 * partitions.
 *
 * <p>Part of core, which every module uses: it may not use any other module of the project nor
 * Micronaut's HTTP layer.
 */
package dev.shardpipe.core.config;
