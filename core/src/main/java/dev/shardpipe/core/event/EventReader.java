package dev.shardpipe.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads events from JSON trees, checking every rule of SPEC 3 and reporting all violations at once.
 * Two shapes are read: the envelope on the topic ({@link #readEnvelope}) and the flat bodies of
 * ingest-api ({@link #readTweet}, {@link #readFile}), whose fields are the envelope's {@code data}
 * plus an optional {@code id} and {@code occurred_at}.
 */
public final class EventReader {

  private static final String TYPES = "\"tweet\" or \"file\"";
  private static final String OPS = "\"upsert\" or \"delete\"";

  private EventReader() {}

  /**
   * Reads an envelope: {@code type}, {@code op} (default upsert), {@code id}, {@code occurred_at}
   * and {@code data}, all but {@code op} required.
   *
   * @param root the parsed record value
   * @return the event
   * @throws InvalidEventException listing every violation, with {@code data.} before data fields
   */
  public static Event readEnvelope(@Nullable JsonNode root) throws InvalidEventException {
    requireObject(root);
    List<Violation> violations = new ArrayList<>();
    JsonFields fields = new JsonFields(root, "", violations);
    EventType type = fields.choice("type", true, EventType::fromWireName, TYPES);
    Op op =
        Objects.requireNonNullElse(fields.choice("op", false, Op::fromWireName, OPS), Op.UPSERT);
    UUID id = fields.uuid("id", true);
    Instant occurredAt = fields.instant("occurred_at", true);
    JsonNode data = fields.object("data");
    Tweet tweet = null;
    FileMetadata file = null;
    if (data != null && type != null) {
      JsonFields dataFields = new JsonFields(data, "data.", violations);
      if (type == EventType.TWEET) {
        tweet = readTweetData(dataFields, op);
      } else {
        file = readFileData(dataFields, op);
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    return type == EventType.TWEET
        ? new TweetEvent(op, id, occurredAt, tweet)
        : new FileEvent(op, id, occurredAt, file);
  }

  /**
   * Reads a tweet from an ingest-api body: {@code location}, {@code owner_id}, {@code text} (for an
   * upsert), optional {@code like_count}, {@code id} and {@code occurred_at}.
   *
   * @param body the parsed request body
   * @param op what the event does
   * @param newId supplies the id when the body has none
   * @param now the time used when the body has no {@code occurred_at}
   * @return the event
   * @throws InvalidEventException listing every violation
   */
  public static TweetEvent readTweet(
      @Nullable JsonNode body, Op op, Supplier<UUID> newId, Instant now)
      throws InvalidEventException {
    return readRequest(
        body,
        newId,
        now,
        fields -> readTweetData(fields, op),
        (id, at, tweet) -> new TweetEvent(op, id, at, tweet));
  }

  /**
   * Reads a file from an ingest-api body: {@code user_id}, {@code file_name} (for an upsert),
   * optional {@code size_bytes}, {@code content_type}, {@code id} and {@code occurred_at}.
   *
   * @param body the parsed request body
   * @param op what the event does
   * @param newId supplies the id when the body has none
   * @param now the time used when the body has no {@code occurred_at}
   * @return the event
   * @throws InvalidEventException listing every violation
   */
  public static FileEvent readFile(
      @Nullable JsonNode body, Op op, Supplier<UUID> newId, Instant now)
      throws InvalidEventException {
    return readRequest(
        body,
        newId,
        now,
        fields -> readFileData(fields, op),
        (id, at, file) -> new FileEvent(op, id, at, file));
  }

  /** Builds an event of one type from its id, time and data. */
  private interface EventFactory<D, E extends Event> {
    E create(UUID id, Instant occurredAt, D data);
  }

  /**
   * Reads a flat request body: the type's data fields plus an optional {@code id} and {@code
   * occurred_at}, defaulted to a new id and {@code now}.
   */
  private static <D, E extends Event> E readRequest(
      @Nullable JsonNode body,
      Supplier<UUID> newId,
      Instant now,
      Function<JsonFields, D> readData,
      EventFactory<D, E> factory)
      throws InvalidEventException {
    requireObject(body);
    List<Violation> violations = new ArrayList<>();
    JsonFields fields = new JsonFields(body, "", violations);
    UUID id = fields.uuid("id", false);
    Instant occurredAt = fields.instant("occurred_at", false);
    D data = readData.apply(fields);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    return factory.create(
        id != null ? id : newId.get(), Objects.requireNonNullElse(occurredAt, now), data);
  }

  private static void requireObject(@Nullable JsonNode node) throws InvalidEventException {
    if (node == null || !node.isObject()) {
      throw new InvalidEventException(List.of(new Violation("", "must be a JSON object")));
    }
  }

  private static @Nullable Tweet readTweetData(JsonFields fields, Op op) {
    String location = fields.text("location", true, Tweet.LOCATION_MAX_LENGTH);
    Long ownerId = fields.nonNegative("owner_id", true, Long.MAX_VALUE);
    String text = op == Op.UPSERT ? fields.text("text", true, Tweet.TEXT_MAX_LENGTH) : null;
    Long likeCount = fields.nonNegative("like_count", false, Integer.MAX_VALUE);
    if (location == null || ownerId == null || (op == Op.UPSERT && text == null)) {
      return null;
    }
    return new Tweet(location, ownerId, text, likeCount == null ? 0 : likeCount.intValue());
  }

  private static @Nullable FileMetadata readFileData(JsonFields fields, Op op) {
    Long userId = fields.nonNegative("user_id", true, Long.MAX_VALUE);
    String fileName =
        op == Op.UPSERT ? fields.text("file_name", true, FileMetadata.FILE_NAME_MAX_LENGTH) : null;
    Long sizeBytes = fields.nonNegative("size_bytes", false, Long.MAX_VALUE);
    String contentType = fields.text("content_type", false, FileMetadata.CONTENT_TYPE_MAX_LENGTH);
    if (userId == null || (op == Op.UPSERT && fileName == null)) {
      return null;
    }
    return new FileMetadata(userId, fileName, sizeBytes, contentType);
  }
}
