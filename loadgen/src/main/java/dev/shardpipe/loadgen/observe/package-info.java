/**
 * What a run observes besides its own requests: end-to-end freshness (send until the row is
 * visible), how long reading one's own write takes, the totals of {@code GET /stats}, the machine
 * it ran on, and the check that every event sent is visible through query-service.
 *
 * <p>Observes over HTTP and read-only SQL through {@code shards}; may not use a service's classes
 * or write anything.
 */
package dev.shardpipe.loadgen.observe;
