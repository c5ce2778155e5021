/**
 * What {@code shardctl status} reports and how it is written: the report's records, its JSON (a
 * contract that docs/elasticity.md documents) and its table for people. Nothing here reads a
 * database or Kafka.
 */
package dev.shardpipe.shardctl.status;
