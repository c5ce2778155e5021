package dev.shardpipe.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

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
      try {
        admin
            .createTopics(Set.of(new NewTopic(name, partitions, (short) 1)))
            .all()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + name, e.getCause());
        }
      }
      TopicDescription existing =
          admin
              .describeTopics(List.of(name))
              .allTopicNames()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(name);
      if (existing.partitions().size() != partitions) {
        throw new IllegalStateException(
            "topic "
                + name
                + " exists with "
                + existing.partitions().size()
                + " partitions, expected "
                + partitions);
      }
      return false;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }
}
