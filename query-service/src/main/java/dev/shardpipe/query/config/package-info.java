/**
 * query-service's own settings, under {@code shardpipe.query} (docs/configuration.md), and the
 * codecs built from its secrets at start-up, so that a secret too short stops the service with a
 * message.
 *
 * <p>Settings only: no HTTP handling and no shard access.
 */
package dev.shardpipe.query.config;
