package dev.shardpipe.core.placement;

import dev.shardpipe.core.routing.PartitionRange;
import dev.shardpipe.core.routing.Routing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which partitions must stay in which region. A tweet location may be pinned to a region ({@code
 * shardpipe.location-regions}, default {@value #DEFAULT_LOCATION_REGIONS}); every partition in the
 * pinned location's range may then only be placed on a shard of that region, so that, say, European
 * tweets are stored in Europe. Files and unpinned locations may go anywhere.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegionPins {

  /** Default pins of locations to regions: {@value}. */
  public static final String DEFAULT_LOCATION_REGIONS = "europe=europe,usa=usa";

  /** Default regions of the default shards, used when seeding the catalog: {@value}. */
  public static final String DEFAULT_SHARD_REGIONS = "eu=europe,us=usa";

  /** What a region name must match: {@value}. */
  public static final String REGION_PATTERN = "[a-z][a-z0-9_-]{0,62}";

  private static final Pattern REGION = Pattern.compile(REGION_PATTERN);

  private final String[] regionByPartition;

  private RegionPins(String[] regionByPartition) {
    this.regionByPartition = regionByPartition;
  }

  /**
   * Builds the pins from the routing's location ranges.
   *
   * @param routing the routing, whose location ranges the pins cover
   * @param locationRegions {@code <location>=<region>} entries separated by commas; empty pins
   *     nothing. A location not routed by its own range pins nothing.
   * @return the pins
   * @throws IllegalArgumentException if an entry is malformed, a region name does not match {@value
   *     #REGION_PATTERN}, or two locations pinned to different regions share a partition
   */
  public static RegionPins of(Routing routing, String locationRegions) {
    String[] regions = new String[routing.partitions()];
    String[] pinnedBy = new String[routing.partitions()];
    for (Map.Entry<String, String> pin : parse("location", locationRegions).entrySet()) {
      String location = pin.getKey();
      String region = pin.getValue();
      if (!routing.locations().contains(location)) {
        continue;
      }
      PartitionRange range = routing.partitionsForLocation(location);
      for (int p = range.first(); p <= range.last(); p++) {
        if (regions[p] != null && !regions[p].equals(region)) {
          throw new IllegalArgumentException(
              "partition "
                  + p
                  + " is in the ranges of "
                  + pinnedBy[p]
                  + " (region "
                  + regions[p]
                  + ") and "
                  + location
                  + " (region "
                  + region
                  + "); a partition can be pinned to one region only");
        }
        regions[p] = region;
        pinnedBy[p] = location;
      }
    }
    return new RegionPins(regions);
  }

  /**
   * Parses {@code <name>=<region>} entries, such as {@code shardpipe.location-regions} or the
   * regions of the shards that seed the catalog.
   *
   * @param what what the names are, for messages ({@code location}, {@code shard})
   * @param spec entries separated by commas; blank entries are ignored
   * @return name to region, in the order given
   * @throws IllegalArgumentException if an entry is not {@code <name>=<region>}, a region does not
   *     match {@value #REGION_PATTERN}, or a name is repeated
   */
  public static Map<String, String> parse(String what, String spec) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String entry : spec.split(",", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "entry \"" + entry.strip() + "\" is not of the form <" + what + ">=<region>");
      }
      String name = entry.substring(0, eq).strip();
      String region = entry.substring(eq + 1).strip();
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException(
            what + " " + name + ": region \"" + region + "\" must match " + REGION_PATTERN);
      }
      if (entries.put(name, region) != null) {
        throw new IllegalArgumentException(what + " " + name + " is listed twice");
      }
    }
    return Collections.unmodifiableMap(entries);
  }

  /**
   * Returns the region a partition is pinned to.
   *
   * @param partition a partition in {@code 0..P-1}
   * @return the region, or empty when the partition may be placed on any shard
   * @throws IllegalArgumentException if the partition is outside {@code 0..P-1}
   */
  public Optional<String> regionOf(int partition) {
    if (partition < 0 || partition >= regionByPartition.length) {
      throw new IllegalArgumentException(
          "partition " + partition + " is outside 0.." + (regionByPartition.length - 1));
    }
    return Optional.ofNullable(regionByPartition[partition]);
  }
}
