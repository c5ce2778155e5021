/**
 * The event envelope (docs/contract.md §3): tweets and files, upserts and deletes, each kind
 * described as data by {@link dev.shardpipe.core.event.EventKind} with its field rules defined
 * once, and an event of any kind as a map of its data ({@link dev.shardpipe.core.event.DataEvent}),
 * the JSON codec of the record value on the events topic, and the reader that checks a request body
 * or a record and reports every broken rule at once ({@link dev.shardpipe.core.event.Violation}).
 *
 * <p>Part of core, which every module uses: it may not use any other module of the project nor
 * Micronaut's HTTP layer.
 */
package dev.shardpipe.core.event;
