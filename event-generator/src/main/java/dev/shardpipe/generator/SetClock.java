package dev.shardpipe.generator;

import com.fasterxml.uuid.UUIDClock;

/** The clock a UUIDv7 generator reads: the time of the event whose id it makes, in epoch ms. */
final class SetClock extends UUIDClock {

  private long millis;

  void set(long epochMillis) {
    this.millis = epochMillis;
  }

  @Override
  public long currentTimeMillis() {
    return millis;
  }
}
