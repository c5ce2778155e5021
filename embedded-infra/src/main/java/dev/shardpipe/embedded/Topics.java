package dev.shardpipe.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics on single-node brokers: the embedded one and a test container. */
public final class Topics {

  private Topics() {}

  /**
   * Creates a topic with replication factor 1, or checks the partition count of an existing one.
   *
   * @param admin an admin client of the broker
   * @param name the topic
   * @param partitions its partition count
   * @param timeout how long to wait for each answer of the broker
   * @return true if the topic was created, false if it already existed with that count
   * @throws IllegalStateException if it exists with another partition count, or the broker fails or
   *     does not answer within the timeout
   */
  public static boolean ensure(Admin admin, String name, int partitions, Duration timeout) {
    return ensure(admin, name, partitions, Map.of(), timeout);
  }

  /**
   * Creates a topic with replication factor 1 and the given topic settings, or checks the partition
   * count of an existing one and sets the given settings on it, so that a topic created by an
   * earlier version gets them too.
   *
   * @param admin an admin client of the broker
   * @param name the topic
   * @param partitions its partition count
   * @param configs topic settings, such as {@code retention.ms}; empty for the broker's defaults
   * @param timeout how long to wait for each answer of the broker
   * @return true if the topic was created, false if it already existed with that count
   * @throws IllegalStateException if it exists with another partition count, or the broker fails or
   *     does not answer within the timeout
   */
  public static boolean ensure(
      Admin admin, String name, int partitions, Map<String, String> configs, Duration timeout) {
    try {
      try {
        admin
            .createTopics(Set.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
            .all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(name);
      if (existing.partitions().size() != partitions) {
        throw new IllegalStateException(
            "topic "
                + name
                + " exists with "
                + existing.partitions().size()
                + " partitions, expected "
                + partitions
                + "; start clean or change the partition count");
      }
      if (!configs.isEmpty()) {
        List<AlterConfigOp> set =
            configs.entrySet().stream()
                .map(
                    c ->
                        new AlterConfigOp(
                            new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        admin
            .incrementalAlterConfigs(
                Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), set))
            .all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
