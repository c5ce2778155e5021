package dev.shardpipe.devstack;

import java.nio.file.Path;

/**
 * How to run the devstack. The defaults are SPEC 9's.
 *
 * @param home the repository root, where {@code <module>/target/<module>.jar} are
 * @param dataDir where Kafka's log, PostgreSQL's data and the service logs live; kept across
 *     restarts
 * @param clean whether to delete {@code dataDir} before starting
 * @param kafkaPort the Kafka client port; default 9092
 * @param kafkaControllerPort the KRaft controller port; default 9093
 * @param postgresPort the PostgreSQL port; default 5433
 * @param ingestPort ingest-api's port; default 8080
 * @param queryPort query-service's port; default 8081
 * @param writerBasePort the first writer's port; the n-th shard's writer uses {@code base + n}
 * @param partitions P, the events topic's partition count
 * @param tweetLocations the tweet location ranges, as {@code shardpipe.tweet-locations}
 * @param placement the partition placement, as {@code shardpipe.placement}
 * @param auth whether the HTTP services require bearer tokens (docs/security.md); {@code --no-auth}
 *     turns it off
 */
public record DevstackOptions(
    Path home,
    Path dataDir,
    boolean clean,
    int kafkaPort,
    int kafkaControllerPort,
    int postgresPort,
    int ingestPort,
    int queryPort,
    int writerBasePort,
    int partitions,
    String tweetLocations,
    String placement,
    boolean auth) {}
