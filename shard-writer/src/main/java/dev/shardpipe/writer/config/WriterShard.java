package dev.shardpipe.writer.config;

import java.util.List;

/**
 * The shard this writer owns, checked against the placement at start-up.
 *
 * @param name the shard's name, such as {@code eu}
 * @param partitions the partitions placed on it, ascending
 */
public record WriterShard(String name, List<Integer> partitions) {

  /**
   * Copies the partition list.
   *
   * @throws IllegalArgumentException if no partition is placed on the shard
   */
  public WriterShard {
    partitions = List.copyOf(partitions);
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("shard " + name + " has no partitions");
    }
  }
}
