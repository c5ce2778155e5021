/**
 * The load driver: requests issued open-loop at a fixed rate (latency from the time each was due,
 * so a stall is not hidden) or closed-loop as fast as allowed, with HdrHistogram percentiles.
 *
 * <p>Knows requests only, not what they carry: no HTTP, Kafka or SQL code of its own, and nothing
 * of the pipeline's services.
 */
package dev.shardpipe.loadgen.drive;
