package dev.shardpipe.query.shard;

import io.micronaut.core.annotation.Nullable;

/**
 * The filters of a tweet list. Together they decide which shards are asked: both set name one
 * partition and so one shard; a location alone names its partitions' shards; otherwise every shard
 * is asked.
 *
 * @param ownerId only tweets of this owner, or null for any
 * @param location only tweets from this location, compared exactly, or null for any
 */
public record TweetFilter(@Nullable Long ownerId, @Nullable String location) {}
