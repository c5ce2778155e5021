package dev.shardpipe.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The shared secret that signs and verifies the services' bearer tokens (HS256 JWTs), and minting a
 * token for a role with it. The services read the same text from {@value #PROPERTY} and verify with
 * micronaut-security-jwt, which uses the text's UTF-8 bytes as the HMAC key, as this class does.
 */
public final class SigningSecret {

  /** The services' setting that holds the secret: {@value}. */
  public static final String PROPERTY =
      "micronaut.security.token.jwt.signatures.secret.generator.secret";

  /**
   * The shortest secret accepted, in UTF-8 bytes: {@value}. HS256 needs a key of at least the
   * hash's 256 bits (RFC 7518 section 3.2); Nimbus refuses a shorter one when signing and when
   * verifying, which would make every token fail.
   */
  public static final int MIN_BYTES = 32;

  /** The claim micronaut-security reads roles from by default: {@value}. */
  public static final String ROLES_CLAIM = "roles";

  /** The {@code iss} claim of every token minted here: {@value}. */
  public static final String ISSUER = "shardpipe";

  private static final int GENERATED_BYTES = 32;

  private final String text;

  private SigningSecret(String text) {
    this.text = text;
  }

  /**
   * Wraps a secret's text.
   *
   * @param text the secret, as the services' {@value #PROPERTY} holds it
   * @return the secret
   * @throws IllegalArgumentException if it is shorter than {@value #MIN_BYTES} UTF-8 bytes
   */
  public static SigningSecret of(String text) {
    int length = text.getBytes(StandardCharsets.UTF_8).length;
    if (length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the signing secret is "
              + length
              + " bytes; HS256 needs at least "
              + MIN_BYTES
              + " (generate one with: openssl rand -base64 32)");
    }
    return new SigningSecret(text);
  }

  /**
   * Generates a new secret: {@value #GENERATED_BYTES} random bytes as unpadded base64url text (43
   * characters), so that it fits in a file, a setting and an environment variable unchanged.
   *
   * @param random the source of randomness
   * @return the secret
   */
  public static SigningSecret generate(SecureRandom random) {
    byte[] bytes = new byte[GENERATED_BYTES];
    random.nextBytes(bytes);
    return new SigningSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /**
   * Reads a secret from a file, such as a docker secret: its text without the trailing line break
   * an editor or {@code echo} adds.
   *
   * @param file the file
   * @return the secret
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the secret is too short
   */
  public static SigningSecret read(Path file) throws IOException {
    return of(Files.readString(file, StandardCharsets.UTF_8).strip());
  }

  /**
   * Returns the secret's text, for the services' {@value #PROPERTY}.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * Mints a bearer token for a role that is valid from now for a while.
   *
   * @param role one of {@link Roles#ALL}
   * @param validFor how long the token is valid, positive
   * @param clock the clock that says when now is
   * @return the compact JWT, to send as {@code Authorization: Bearer <token>}
   * @throws IllegalArgumentException if the role is unknown or the duration not positive
   */
  public String mint(String role, Duration validFor, Clock clock) {
    if (validFor.isNegative() || validFor.isZero()) {
      throw new IllegalArgumentException("validFor must be positive, was " + validFor);
    }
    Instant now = clock.instant();
    return mint(role, now, now.plus(validFor));
  }

  /**
   * Mints a bearer token for a role with the given validity; tests use it for expired tokens.
   *
   * @param role one of {@link Roles#ALL}
   * @param issuedAt the {@code iat} claim
   * @param expiresAt the {@code exp} claim; the services refuse the token from then on
   * @return the compact JWT
   * @throws IllegalArgumentException if the role is unknown
   */
  public String mint(String role, Instant issuedAt, Instant expiresAt) {
    Roles.require(role);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            // micronaut-security refuses a token without a subject; the role is who the caller is.
            .subject(role)
            .claim(ROLES_CLAIM, List.of(role))
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(expiresAt))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(text.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      // Only a key shorter than 256 bits fails, which of() and generate() exclude.
      throw new IllegalStateException("cannot sign with HS256", e);
    }
    return jwt.serialize();
  }

  /** Never the secret itself, so that it cannot reach a log line. */
  @Override
  public String toString() {
    return "SigningSecret[" + text.length() + " characters]";
  }
}
