/**
 * The one generator of synthetic but valid events ({@link dev.shardpipe.generator.EventGenerator}),
 * repeatable by seed, and what it shares with loadgen's real sources: the location of a time-zone
 * offset ({@link dev.shardpipe.generator.Locations}) and text cut to a field's limit ({@link
 * dev.shardpipe.generator.Texts}). ingest-api's demo load, loadgen and the benchmarks configure it
 * for their needs (ids, times, locations, keys, texts, pool).
 *
 * <p>Builds core's events only: no HTTP, Kafka or database code, and no other module of the
 * project; ingest-api ships it.
 */
package dev.shardpipe.generator;
