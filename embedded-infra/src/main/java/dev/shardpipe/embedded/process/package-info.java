/**
 * Services as supervised child JVMs, each started from its own jar with its own log file and
 * stopped with {@code SIGTERM}, as a container platform would run them; used by the devstack and
 * bench.
 *
 * <p>Depends on no other module of the project, and knows the services only by their module name
 * and jar.
 */
package dev.shardpipe.embedded.process;
