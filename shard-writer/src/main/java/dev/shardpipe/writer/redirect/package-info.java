/**
 * What the writer sends on instead of writing (docs/contract.md §3): dead letters to the
 * dead-letter topic, bytes unchanged with headers naming the error and the source, and forwards to
 * the partition routing gives an event; it waits for Kafka's acknowledgement of each before the
 * offset past them commits.
 *
 * <p>Kafka only: no database code, and no other service's classes.
 */
package dev.shardpipe.writer.redirect;
