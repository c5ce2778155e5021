package dev.shardpipe.loadgen.source;

import dev.shardpipe.core.event.Event;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Where events come from: a git history, a directory tree, or a fake-data generator. Iterated by
 * one thread; events are made as they are asked for, so a large source is never all in memory.
 */
public interface EventSource extends Iterator<Event>, AutoCloseable {

  /**
   * Returns what the source is, for reports.
   *
   * @return such as {@code git /work/repo: commits reachable from HEAD 1e30af4}
   */
  String description();

  /**
   * Returns how many events the source will give, when known in advance.
   *
   * @return the count, or empty when unknown
   */
  OptionalLong expectedEvents();

  /**
   * Returns the items read and skipped so far.
   *
   * @return the counts
   */
  SourceCounts counts();

  /** Releases what the source holds open (a repository); never throws. */
  @Override
  void close();
}
