package dev.shardpipe.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
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
    try {
      try {
        admin
            .createTopics(Set.of(new NewTopic(name, partitions, (short) 1)))
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
      return false;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }
}
