/**
 * The embedded default (docs/contract.md §1): {@code java -jar devstack/target/devstack.jar} starts
 * a real PostgreSQL with the catalog and one database per shard, a real Kafka broker with the
 * topics, and every service from its own jar as a supervised child JVM; it follows the catalog to
 * start and stop writers as shards come and go, and writes the bearer tokens (docs/security.md).
 *
 * <p>A tool: it may use the embedded servers, the catalog, auth and core, but never a service's
 * classes (it runs their jars), another tool (shardctl, loadgen, bench) or the test fixtures.
 */
package dev.shardpipe.devstack;
