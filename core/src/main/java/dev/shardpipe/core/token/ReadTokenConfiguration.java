package dev.shardpipe.core.token;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.charset.StandardCharsets;

/**
 * The read-token secret, {@value #KEY}: ingest-api signs the tokens of its {@code 202} answers with
 * it and query-service checks them with it, so every instance of both services must share it
 * (docs/configuration.md).
 *
 * @param readTokenSecret the HMAC-SHA256 key; at least {@value #MIN_SECRET_BYTES} bytes; default
 *     {@value #DEFAULT_SECRET}, which is public: operators set their own, and both services warn at
 *     start-up while it is in use
 */
@ConfigurationProperties(ReadTokenConfiguration.PREFIX)
public record ReadTokenConfiguration(
    @Bindable(defaultValue = DEFAULT_SECRET) String readTokenSecret) {

  /** Prefix of the key: {@value}. */
  public static final String PREFIX = "shardpipe";

  /** The key of the secret: {@value}. */
  public static final String KEY = "shardpipe.read-token-secret";

  /**
   * Default secret: {@value}. It is in the source code, so anyone can sign a token with it and make
   * reads wait on offsets of their choosing, for at most the read-after timeout each.
   */
  public static final String DEFAULT_SECRET = "shardpipe-default-read-token-secret-change-me";

  /** The shortest secret, in UTF-8 bytes: {@value}. */
  public static final int MIN_SECRET_BYTES = 16;

  /**
   * The warning both services log at start-up while the default secret is in use: {@value}. Written
   * once here so that ingest-api and query-service say the same thing.
   */
  public static final String DEFAULT_SECRET_WARNING =
      KEY
          + " is the built-in default, so anyone can forge read tokens; set it"
          + " (SHARDPIPE_READ_TOKEN_SECRET) to one secret shared by every ingest-api and"
          + " query-service instance";

  /**
   * Checks the secret's length.
   *
   * @throws IllegalArgumentException if it is shorter than {@value #MIN_SECRET_BYTES} bytes; the
   *     message does not echo the secret
   */
  public ReadTokenConfiguration {
    if (readTokenSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          KEY + " must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
  }

  /**
   * Tells whether the secret is still the public default.
   *
   * @return true when it is {@value #DEFAULT_SECRET}
   */
  public boolean usesDefaultSecret() {
    return DEFAULT_SECRET.equals(readTokenSecret);
  }

  /**
   * Builds the codec that signs and checks tokens with this secret.
   *
   * @return the codec
   */
  public ReadTokenCodec codec() {
    return new ReadTokenCodec(readTokenSecret);
  }

  /** Leaves the secret out, so that logging the configuration does not leak it. */
  @Override
  public String toString() {
    return "ReadTokenConfiguration[readTokenSecret=<hidden>]";
  }
}
