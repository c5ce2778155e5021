/**
 * A real Kafka broker (KRaft, in this JVM) and a real PostgreSQL server (embedded binaries), both
 * on 127.0.0.1 only and restartable on their data, with the databases, topics and free ports the
 * devstack and the tests need (docs/testing.md).
 *
 * <p>Depends on no other module of the project. Only the devstack, bench and the test fixtures may
 * use it: the services and the libraries they share run against real clusters without it.
 */
package dev.shardpipe.embedded;
