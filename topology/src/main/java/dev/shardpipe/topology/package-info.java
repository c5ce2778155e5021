/**
 * The topology the tools share: {@link dev.shardpipe.topology.Topology}, what a tool must know of a
 * running pipeline (the partition count, the tweet locations, where the catalog is, the database
 * logins), and {@link dev.shardpipe.topology.TopologyOptions}, the picocli options every tool
 * parses it from. Depends on {@code core} and picocli only; the services never use it.
 */
package dev.shardpipe.topology;
