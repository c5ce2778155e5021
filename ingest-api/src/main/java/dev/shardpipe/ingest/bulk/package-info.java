/**
 * Synthetic but valid events for demo load ({@code POST /ingest/bulk}), made with Datafaker.
 *
 * <p>Builds core's events only: no HTTP, no Kafka, and none of the other services' classes.
 */
package dev.shardpipe.ingest.bulk;
