package dev.shardpipe.loadgen.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a source read: every item it looked at, and those it skipped with the reason and a first
 * example, so that a report can account for every item of the source. Used by the one thread that
 * iterates the source.
 */
public final class SourceTally {

  private long items;
  private long events;
  private final Map<String, Long> skipped = new LinkedHashMap<>();
  private final Map<String, Long> notes = new LinkedHashMap<>();
  private final Map<String, String> examples = new LinkedHashMap<>();

  /** Counts an item of the source that became an event. */
  public void event() {
    items++;
    events++;
  }

  /**
   * Counts an item of the source that did not become an event.
   *
   * @param reason why, such as {@code "file name longer than 1024 characters"}
   * @param example the item, such as its path; the first one of each reason is kept
   */
  public void skip(String reason, String example) {
    items++;
    skipped.merge(reason, 1L, Long::sum);
    examples.putIfAbsent(reason, example);
  }

  /**
   * Counts something worth reporting about an item that did become an event.
   *
   * @param what what happened, such as {@code "content unreadable, type guessed from the name"}
   * @param example the item; the first one of each note is kept
   */
  public void note(String what, String example) {
    notes.merge(what, 1L, Long::sum);
    examples.putIfAbsent(what, example);
  }

  /**
   * Returns the counts so far.
   *
   * @return a snapshot
   */
  public SourceCounts snapshot() {
    return new SourceCounts(items, events, skipped, notes, examples);
  }
}
