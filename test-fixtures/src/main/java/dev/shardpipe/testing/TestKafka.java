package dev.shardpipe.testing;

import dev.shardpipe.embedded.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The test JVM's Kafka broker as tests see it: an address and the admin operations tests need, over
 * the Kafka protocol only, so they behave the same on the embedded broker and on a container.
 */
public final class TestKafka {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;

  TestKafka(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Returns the address clients connect to.
   *
   * @return {@code <host>:<port>}, such as {@code 127.0.0.1:40123}
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Opens an admin client on this broker; the caller closes it.
   *
   * @return a new admin client
   */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * Creates a topic with replication factor 1 (the test broker is a single node), or checks the
   * partition count of an existing one.
   *
   * @param name the topic
   * @param partitions its partition count
   * @return true if the topic was created, false if it already existed with that count
   * @throws IllegalStateException if it exists with another partition count, or Kafka does not
   *     answer within 30 s
   */
  public boolean ensureTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      return Topics.ensure(admin, name, partitions, ADMIN_TIMEOUT);
    }
  }
}
