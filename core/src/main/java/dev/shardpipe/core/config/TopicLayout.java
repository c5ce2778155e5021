package dev.shardpipe.core.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks that the events topic exists with P partitions (docs/contract.md §4). Routing computes
 * partitions modulo ranges of P, so a topic of another size would put events on the wrong shards.
 */
public final class TopicLayout {

  private TopicLayout() {}

  /**
   * Describes the topic and compares its partition count with P.
   *
   * @param admin a Kafka admin client
   * @param topic the events topic
   * @param partitions P
   * @param timeout how long to wait for the broker
   * @throws IllegalStateException if the topic is missing, has another partition count, or the
   *     broker does not answer within the timeout; the message says which and what to do
   * @throws InterruptedException if interrupted while waiting
   */
  public static void verify(Admin admin, String topic, int partitions, Duration timeout)
      throws InterruptedException {
    TopicDescription description;
    try {
      description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " does not exist; create it with "
                + partitions
                + " partitions (shardpipe.partitions)",
            e.getCause());
      }
      throw new IllegalStateException(
          "cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not describe topic "
              + topic
              + " within "
              + timeout.toMillis()
              + " ms; is it reachable at kafka.bootstrap.servers?",
          e);
    }
    int actual = description.partitions().size();
    if (actual != partitions) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " has "
              + actual
              + " partitions but shardpipe.partitions is "
              + partitions
              + "; routing would place events on the wrong shards");
    }
  }
}
