/**
 * ingest-api's endpoints (docs/contract.md §6, docs/ingest-api.md): single events, deletes, batches
 * as a JSON array or NDJSON, and synthetic load; the bodies they read and the {@code 202}s they
 * answer. Errors leave as problems through http-problem.
 *
 * <p>Publishes through {@code publish} and asks {@code lag} whether to refuse; it may not use the
 * writer, query-service, the store, the embedded servers or the test fixtures.
 */
package dev.shardpipe.ingest.http;
