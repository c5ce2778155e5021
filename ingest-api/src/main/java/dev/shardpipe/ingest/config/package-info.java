/**
 * ingest-api's own limits, under {@code shardpipe.ingest} (docs/configuration.md): batch size, body
 * size, bulk count, events in flight, how far ahead {@code occurred_at} may be, and the lag that
 * turns on backpressure.
 *
 * <p>Settings only: no HTTP, Kafka or database code.
 */
package dev.shardpipe.ingest.config;
