/**
 * ingest-api's own meters on {@code /prometheus}, next to Micronaut's request timers: events
 * acknowledged and refused, by type, operation and reason (docs/configuration.md).
 *
 * <p>Micrometer only: no HTTP, Kafka or database code.
 */
package dev.shardpipe.ingest.metrics;
