/**
 * Every HTTP error of ingest-api and query-service as an RFC 9457 {@code application/problem+json}
 * body (docs/contract.md §6, §7), the framework's own {@code 401}, {@code 403}, {@code 404}, {@code
 * 405}, {@code 413} and {@code 415} included, and never a stack trace or an internal message.
 *
 * <p>Knows nothing of events, routing or placement: of core it may use only the field error a
 * {@code 400} lists ({@link dev.shardpipe.core.event.Violation}), and no service, store or catalog
 * class. It logs instead of printing.
 */
package dev.shardpipe.http.problem;
