package dev.shardpipe.testing;

/**
 * Where the test JVM's Kafka broker and PostgreSQL server come from. Chosen once per test JVM:
 * automatically, or by the system property {@value #PROPERTY}.
 */
public enum InfrastructureKind {
  /**
   * Started in-process from {@code embedded-infra}: the broker from the Apache Kafka jars,
   * PostgreSQL from zonky's embedded binaries. Needs nothing but the JVM.
   */
  EMBEDDED,
  /**
   * Started as Docker containers by Testcontainers ({@code apache/kafka}, {@code postgres}). Needs
   * a reachable Docker engine.
   */
  CONTAINERS;

  /**
   * The system property that overrides the automatic choice: {@code embedded}, {@code containers}
   * or {@code auto} (the default: containers when a Docker engine is reachable, embedded
   * otherwise). Maven passes it on to the test JVMs: {@code mvn verify
   * -Dshardpipe.test.infrastructure=embedded}.
   */
  public static final String PROPERTY = "shardpipe.test.infrastructure";
}
