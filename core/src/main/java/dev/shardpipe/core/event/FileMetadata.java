package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code data} of a file event (docs/contract.md §3).
 *
 * @param userId the owner, {@code >= 0}; the shard key
 * @param fileName the file's path or name, 1 to {@value #FILE_NAME_MAX_LENGTH} characters, no NUL;
 *     null in a delete
 * @param sizeBytes the size in bytes, {@code >= 0}, or null when unknown
 * @param contentType the media type, such as {@code application/pdf}, 1 to {@value
 *     #CONTENT_TYPE_MAX_LENGTH} characters, or null when unknown
 */
public record FileMetadata(
    long userId,
    @Nullable String fileName,
    @Nullable Long sizeBytes,
    @Nullable String contentType) {

  /** Longest {@code file_name}, in characters (code points): {@value}. */
  public static final int FILE_NAME_MAX_LENGTH = 1024;

  /**
   * Longest {@code content_type}, in characters: {@value}. RFC 6838 caps type and subtype at 127
   * characters each; the rest leaves room for parameters.
   */
  public static final int CONTENT_TYPE_MAX_LENGTH = 255;

  /**
   * Checks every field against docs/contract.md §3.
   *
   * @throws IllegalArgumentException naming the first invalid field
   */
  public FileMetadata {
    FieldRules.check("user_id", userId);
    FieldRules.check("file_name", fileName, FILE_NAME_MAX_LENGTH);
    if (sizeBytes != null) {
      FieldRules.check("size_bytes", sizeBytes);
    }
    FieldRules.check("content_type", contentType, CONTENT_TYPE_MAX_LENGTH);
  }
}
