package dev.shardpipe.loadgen.source;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * What a source read.
 *
 * @param items items of the source looked at (commits, files, synthetic events)
 * @param events items that became events
 * @param skipped items that did not, per reason
 * @param notes events worth a remark, per remark (such as a type guessed from the name)
 * @param examples the first item of each reason and remark
 */
@Serdeable
public record SourceCounts(
    long items,
    long events,
    Map<String, Long> skipped,
    Map<String, Long> notes,
    Map<String, String> examples) {

  /** Copies the maps. */
  public SourceCounts {
    skipped = Map.copyOf(skipped);
    notes = Map.copyOf(notes);
    examples = Map.copyOf(examples);
  }
}
