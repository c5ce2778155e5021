package dev.shardpipe.core.token;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes read tokens as opaque, URL-safe, tamper-evident text.
 *
 * <p>A token is base64url (no padding) of {@code version(1) | count(2) | (partition(4) | offset(8))
 * * count | mac(16)}, big-endian, where {@code mac} is the first 16 bytes of HMAC-SHA256 under the
 * shared secret over the label {@value #LABEL} followed by everything before it. The label keeps a
 * token from ever being valid as anything else signed with the same secret. 128 bits of MAC are far
 * beyond what an online guesser can try, and keep a token of one partition at 42 characters.
 *
 * <p>Thread-safe; a {@link Mac} is created per call because {@code Mac} instances are not.
 */
public final class ReadTokenCodec {

  /** The most partitions one token may name: {@value}. */
  public static final int MAX_PARTITIONS = 4096;

  private static final String ALGORITHM = "HmacSHA256";
  private static final String LABEL = "shardpipe read token v1";
  private static final byte VERSION = 1;
  private static final int HEADER_BYTES = 1 + 2;
  private static final int ENTRY_BYTES = 4 + 8;
  private static final int MAC_BYTES = 16;

  /** Longest text that can be a token; longer input is rejected before it is decoded. */
  private static final int MAX_TOKEN_CHARS =
      ((HEADER_BYTES + MAX_PARTITIONS * ENTRY_BYTES + MAC_BYTES) * 4 + 2) / 3;

  private static final String MALFORMED =
      "is not a read token; pass the token of a 202 answer of ingest-api unchanged";
  private static final String FORGED =
      "was altered or not issued by this deployment (its signature does not match)";

  private final SecretKeySpec key;

  /**
   * Creates a codec.
   *
   * @param secret the secret shared by ingest-api and query-service, non-empty
   * @throws IllegalArgumentException if the secret is empty
   */
  public ReadTokenCodec(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the read token secret must not be empty");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /**
   * Encodes a token.
   *
   * @param token the partitions and offsets, at most {@value #MAX_PARTITIONS} partitions
   * @return the token text, base64url without padding
   * @throws IllegalArgumentException if the token names more than {@value #MAX_PARTITIONS}
   *     partitions
   */
  public String encode(ReadToken token) {
    int count = token.offsets().size();
    if (count > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "a read token names at most " + MAX_PARTITIONS + " partitions, this one " + count);
    }
    int contentBytes = HEADER_BYTES + count * ENTRY_BYTES;
    ByteBuffer bytes = ByteBuffer.allocate(contentBytes + MAC_BYTES);
    bytes.put(VERSION);
    bytes.putShort((short) count);
    token
        .offsets()
        .forEach(
            (partition, offset) -> {
              bytes.putInt(partition);
              bytes.putLong(offset);
            });
    bytes.put(mac(bytes.array(), contentBytes));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /**
   * Decodes a token and checks its signature.
   *
   * @param text the token as the client sent it
   * @return the partitions and offsets it names
   * @throws InvalidReadTokenException if the text is not a token, or its signature does not match;
   *     the message is meant for the client
   */
  public ReadToken decode(String text) throws InvalidReadTokenException {
    if (text.isEmpty() || text.length() > MAX_TOKEN_CHARS) {
      throw new InvalidReadTokenException(MALFORMED);
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidReadTokenException(MALFORMED);
    }
    if (bytes.length < HEADER_BYTES + ENTRY_BYTES + MAC_BYTES || bytes[0] != VERSION) {
      throw new InvalidReadTokenException(MALFORMED);
    }
    int count = ByteBuffer.wrap(bytes, 1, 2).getShort() & 0xFFFF;
    int contentBytes = HEADER_BYTES + count * ENTRY_BYTES;
    if (count < 1 || count > MAX_PARTITIONS || bytes.length != contentBytes + MAC_BYTES) {
      throw new InvalidReadTokenException(MALFORMED);
    }
    byte[] expected = mac(bytes, contentBytes);
    byte[] actual = Arrays.copyOfRange(bytes, contentBytes, bytes.length);
    // Constant-time, so response timing does not reveal how much of a forged MAC was right.
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new InvalidReadTokenException(FORGED);
    }
    ByteBuffer content = ByteBuffer.wrap(bytes, HEADER_BYTES, count * ENTRY_BYTES);
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    try {
      for (int i = 0; i < count; i++) {
        offsets.put(content.getInt(), content.getLong());
      }
      return new ReadToken(offsets);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      // Only a token signed with our key gets here, so this means a bug or a leaked key.
      throw new InvalidReadTokenException(MALFORMED);
    }
  }

  private byte[] mac(byte[] content, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(LABEL.getBytes(StandardCharsets.UTF_8));
      mac.update(content, 0, length);
      return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
    }
  }
}
