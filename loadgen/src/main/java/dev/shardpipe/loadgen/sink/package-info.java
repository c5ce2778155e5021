/**
 * Where loadgen sends events: ingest-api over HTTP (single events or batches, with the client's own
 * ids so a retry changes nothing) or the events topic directly, as any producer may
 * (docs/contract.md §3, §6).
 *
 * <p>Uses core's codec and partitioner as a user's producer would; may not use ingest-api's
 * classes.
 */
package dev.shardpipe.loadgen.sink;
