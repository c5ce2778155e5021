package dev.shardpipe.query.shard;

import java.sql.SQLTransientConnectionException;

/**
 * A shard's pool gave no connection in time while every connection it may open was open and in use.
 * The shard answered all of them, so this says the service is busy, not that the shard is down: it
 * must not count towards the shard's circuit breaker ({@link ShardBreakers#untried}).
 */
final class PoolSaturatedException extends SQLTransientConnectionException {

  private static final long serialVersionUID = 1L;

  PoolSaturatedException(String shard, SQLTransientConnectionException cause) {
    super("every connection to shard " + shard + " is in use", cause.getSQLState(), cause);
  }
}
