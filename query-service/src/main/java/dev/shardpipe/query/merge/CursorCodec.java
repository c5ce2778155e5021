package dev.shardpipe.query.merge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes keyset cursors: opaque, tamper-evident page positions (docs/contract.md §7: no {@code
 * OFFSET}).
 *
 * <p>A cursor is base64url (no padding) of {@code version(1) | epochSecond(8) | nano(4) | idHigh(8)
 * | idLow(8) | mac(32)}, where {@code mac} is HMAC-SHA256 under the shared key over the scope's
 * canonical bytes followed by the first 29 bytes. Because the scope enters the MAC but not the
 * cursor, a cursor from another query fails exactly like an altered one, and the cursor stays short
 * whatever the filters.
 *
 * <p>Thread-safe; a {@link Mac} is created per call because {@code Mac} instances are not.
 */
public final class CursorCodec {

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte VERSION = 1;
  private static final int CONTENT_BYTES = 1 + 8 + 4 + 8 + 8;
  private static final int MAC_BYTES = 32;
  private static final int CURSOR_BYTES = CONTENT_BYTES + MAC_BYTES;

  /** Longest text that can be a cursor; longer input is rejected before it is decoded. */
  private static final int MAX_CURSOR_CHARS = (CURSOR_BYTES * 4 + 2) / 3;

  private static final String MALFORMED =
      "is not a valid cursor; pass the next_cursor of the previous page unchanged";
  private static final String FOREIGN =
      "was issued for another query (other filters or endpoint) or was altered";

  private final SecretKeySpec key;

  /**
   * Creates a codec.
   *
   * @param secret the key shared by every instance of the service, non-empty
   * @throws IllegalArgumentException if the secret is empty
   */
  public CursorCodec(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the cursor secret must not be empty");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /**
   * Encodes the position after which the next page starts.
   *
   * @param scope the query the cursor is for
   * @param position the last item of the current page
   * @return the cursor, URL-safe
   */
  public String encode(CursorScope scope, Keyset position) {
    ByteBuffer cursor = ByteBuffer.allocate(CURSOR_BYTES);
    cursor.put(VERSION);
    cursor.putLong(position.occurredAt().getEpochSecond());
    cursor.putInt(position.occurredAt().getNano());
    cursor.putLong(position.id().getMostSignificantBits());
    cursor.putLong(position.id().getLeastSignificantBits());
    cursor.put(mac(scope, cursor.array()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.array());
  }

  /**
   * Decodes a cursor and checks that it was issued for this scope.
   *
   * @param scope the query the cursor is used with
   * @param cursor the cursor as the client sent it
   * @return the position to continue after
   * @throws InvalidCursorException if the cursor is malformed, altered, or from another scope; the
   *     message is meant for the client
   */
  public Keyset decode(CursorScope scope, String cursor) throws InvalidCursorException {
    if (cursor.length() > MAX_CURSOR_CHARS) {
      throw new InvalidCursorException(MALFORMED);
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(MALFORMED);
    }
    if (bytes.length != CURSOR_BYTES || bytes[0] != VERSION) {
      throw new InvalidCursorException(MALFORMED);
    }
    byte[] expected = mac(scope, bytes);
    byte[] actual = new byte[MAC_BYTES];
    System.arraycopy(bytes, CONTENT_BYTES, actual, 0, MAC_BYTES);
    // Constant-time, so response timing does not reveal how much of a forged MAC was right.
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new InvalidCursorException(FOREIGN);
    }
    ByteBuffer content = ByteBuffer.wrap(bytes, 1, CONTENT_BYTES - 1);
    try {
      Instant occurredAt = Instant.ofEpochSecond(content.getLong(), content.getInt());
      return new Keyset(occurredAt, new UUID(content.getLong(), content.getLong()));
    } catch (DateTimeException e) {
      // Only a cursor signed with our key gets here, so this means a bug or a leaked key.
      throw new InvalidCursorException(MALFORMED);
    }
  }

  private byte[] mac(CursorScope scope, byte[] cursor) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(scope.canonicalBytes());
      mac.update(cursor, 0, CONTENT_BYTES);
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
    }
  }
}
