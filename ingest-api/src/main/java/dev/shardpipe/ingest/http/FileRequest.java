package dev.shardpipe.ingest.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /files} and an item of {@code POST /files/batch} (docs/contract.md §6),
 * for the OpenAPI document. Requests are read by {@link dev.shardpipe.core.event.EventReader}; this
 * record only describes them.
 */
@Schema(name = "FileRequest", description = "File metadata; unknown fields are ignored.")
record FileRequest(
    @JsonProperty("user_id") @Schema(description = ">= 0; routes the file", example = "42")
        long userId,
    @JsonProperty("file_name")
        @Schema(description = "1 to 1024 characters, no NUL", example = "docs/report.pdf")
        String fileName,
    @JsonProperty("size_bytes") @Nullable @Schema(description = ">= 0", example = "18230")
        Long sizeBytes,
    @JsonProperty("content_type")
        @Nullable
        @Schema(description = "1 to 255 characters", example = "application/pdf")
        String contentType,
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
