package dev.shardpipe.ingest.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /tweets} and an item of {@code POST /tweets/batch} (docs/contract.md §6),
 * for the OpenAPI document. Requests are read by {@link dev.shardpipe.core.event.EventReader},
 * which reports every broken rule at once; this record only describes them.
 */
@Schema(name = "TweetRequest", description = "A tweet; unknown fields are ignored.")
record TweetRequest(
    @Schema(description = "1 to 64 characters; routes the tweet", example = "europe")
        String location,
    @JsonProperty("owner_id") @Schema(description = ">= 0; routes the tweet", example = "42")
        long ownerId,
    @Schema(description = "1 to 280 characters", example = "hello") String text,
    @JsonProperty("like_count") @Nullable @Schema(description = ">= 0, default 0", example = "0")
        Integer likeCount,
    @Nullable
        @Schema(
            description = "UUID; a UUIDv7 is generated when absent. Send one to make retries safe.",
            format = "uuid")
        String id,
    @JsonProperty("occurred_at")
        @Nullable
        @Schema(
            description = "RFC 3339 instant; now when absent. Orders versions of one id.",
            format = "date-time")
        String occurredAt) {}
