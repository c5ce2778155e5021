/**
 * What tests share (docs/testing.md): one real Kafka broker and one real PostgreSQL per test JVM
 * (containers when a Docker engine answers, the embedded servers otherwise), behind the Kafka
 * protocol and JDBC only; valid events, a producer as a user's application has one, a stand-in
 * writer, SQL ground truth and bearer tokens.
 *
 * <p>Used by tests only: no main code of another module may use it. It may not use a service's
 * classes or a tool; it builds on core, auth and the embedded servers.
 */
package dev.shardpipe.testing;
