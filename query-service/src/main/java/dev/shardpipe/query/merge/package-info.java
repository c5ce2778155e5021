/**
 * Merging newest-first pages from several shards (docs/query-service.md): the keyset order, the
 * k-way merge, the page cut at {@code limit}, and the signed, scope-bound cursors.
 *
 * <p>Pure logic on rows already read: no HTTP, no JDBC, no placement.
 */
package dev.shardpipe.query.merge;
