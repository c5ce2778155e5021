package dev.shardpipe.bench.peer;

import java.time.Duration;

/**
 * How long the peer took to write every row.
 *
 * @param fromLaunch from launching the Connect JVM until the last row was in the table: JVM start,
 *     plugin loading, joining the consumer group and writing
 * @param fromFirstRow from the first row seen in the table until the last: writing alone
 * @param connectCpu CPU time of the Connect JVM over {@code fromLaunch}, user and system
 */
public record SinkTimes(Duration fromLaunch, Duration fromFirstRow, Duration connectCpu) {}
