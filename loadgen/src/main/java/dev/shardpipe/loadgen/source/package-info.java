/**
 * Where loadgen's events come from: a git history (one tweet per commit), a directory tree (one
 * file per regular file) or the project's event generator, each with stable ids so that loading a
 * source twice adds no row, and each accounting for every item it skipped.
 *
 * <p>Builds core's events only: no HTTP, Kafka or database code.
 */
package dev.shardpipe.loadgen.source;
