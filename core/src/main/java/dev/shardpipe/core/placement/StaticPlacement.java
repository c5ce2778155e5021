package dev.shardpipe.core.placement;

import dev.shardpipe.core.routing.PartitionRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A placement fixed by configuration for the life of the process. */
final class StaticPlacement implements Placement {

  private static final Pattern SHARD_NAME = Pattern.compile(SHARD_NAME_PATTERN);

  private final String[] shardByPartition;
  private final Map<String, List<Integer>> partitionsByShard;

  private StaticPlacement(String[] shardByPartition, Map<String, List<Integer>> partitionsByShard) {
    this.shardByPartition = shardByPartition;
    this.partitionsByShard = partitionsByShard;
  }

  static StaticPlacement parse(int partitions, String spec) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "the partition count must be at least 1, was " + partitions);
    }
    String[] shardByPartition = new String[partitions];
    Map<String, List<Integer>> partitionsByShard = new LinkedHashMap<>();
    for (String entry : spec.split(",", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "placement entry \"" + entry.strip() + "\" is not of the form <shard>=<range>");
      }
      String shard = entry.substring(0, eq).strip();
      if (!SHARD_NAME.matcher(shard).matches()) {
        throw new IllegalArgumentException(
            "shard name \"" + shard + "\" must match " + SHARD_NAME_PATTERN);
      }
      if (partitionsByShard.containsKey(shard)) {
        throw new IllegalArgumentException(
            "shard " + shard + " is listed twice; join its ranges with '+'");
      }
      List<Integer> placed = new ArrayList<>();
      for (String rangeText : entry.substring(eq + 1).split("\\+", -1)) {
        PartitionRange range;
        try {
          range = PartitionRange.parse(rangeText);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("shard " + shard + ": " + e.getMessage(), e);
        }
        range.requireWithin(partitions, "shard " + shard);
        for (int p = range.first(); p <= range.last(); p++) {
          if (shardByPartition[p] != null) {
            throw new IllegalArgumentException(
                "partition " + p + " is placed on both " + shardByPartition[p] + " and " + shard);
          }
          shardByPartition[p] = shard;
          placed.add(p);
        }
      }
      placed.sort(null);
      partitionsByShard.put(shard, List.copyOf(placed));
    }
    List<Integer> unplaced = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      if (shardByPartition[p] == null) {
        unplaced.add(p);
      }
    }
    if (!unplaced.isEmpty()) {
      String list = unplaced.stream().map(String::valueOf).collect(Collectors.joining(", "));
      throw new IllegalArgumentException(
          (unplaced.size() == 1 ? "partition " + list + " is" : "partitions " + list + " are")
              + " not placed on any shard; every partition 0.."
              + (partitions - 1)
              + " must be placed exactly once");
    }
    return new StaticPlacement(shardByPartition, partitionsByShard);
  }

  @Override
  public long version() {
    return 0;
  }

  @Override
  public int partitions() {
    return shardByPartition.length;
  }

  @Override
  public List<String> shards() {
    return List.copyOf(partitionsByShard.keySet());
  }

  @Override
  public String shardOf(int partition) {
    if (partition < 0 || partition >= shardByPartition.length) {
      throw new IllegalArgumentException(
          "partition " + partition + " is outside 0.." + (shardByPartition.length - 1));
    }
    return shardByPartition[partition];
  }

  @Override
  public List<Integer> partitionsOf(String shard) {
    List<Integer> partitions = partitionsByShard.get(shard);
    if (partitions == null) {
      throw new IllegalArgumentException(
          "no partition is placed on shard " + shard + "; shards are " + shards());
    }
    return partitions;
  }

  @Override
  public String toString() {
    return "Placement" + partitionsByShard;
  }
}
