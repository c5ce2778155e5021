package dev.shardpipe.loadgen.sink;

import dev.shardpipe.core.event.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where events go: ingest-api over HTTP, or the events topic directly. Thread-safe. */
public interface Sink extends AutoCloseable {

  /**
   * Sends events as one request: one HTTP request (a single event or a batch), or one record per
   * event to Kafka. Does not block for the answer.
   *
   * @param events one or more events of one type
   * @return completes with one acknowledgement per event, in order, once every event is stored by
   *     Kafka ({@code acks=all}); or exceptionally with a {@link SendFailure}
   */
  CompletableFuture<List<Ack>> send(List<Event> events);

  /**
   * Tells whether an acknowledgement's partition is the one the writers apply the event at.
   *
   * @return false when events are written to partitions they do not route to, which the writers
   *     forward elsewhere (docs/contract.md §3), so the acknowledged offset says nothing about the
   *     row
   */
  boolean acksAreRouted();

  /** Closes connections and producers; never throws. */
  @Override
  void close();
}
