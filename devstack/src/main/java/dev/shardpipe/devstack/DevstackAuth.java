package dev.shardpipe.devstack;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The devstack's bearer-token setup (docs/security.md): a signing secret generated on the first
 * start and kept in the data directory, and a token per role minted at every start into {@value
 * #TOKENS_FILE}, both readable by their owner only.
 *
 * @param secret the secret both HTTP services verify tokens with
 * @param tokens a token per role, in the order of {@link Roles#ALL}
 * @param tokensFile where the tokens were written
 */
public record DevstackAuth(SigningSecret secret, Map<String, String> tokens, Path tokensFile) {

  /** The secret's file in the data directory: {@value}. */
  public static final String SECRET_FILE = "auth-secret";

  /** The tokens' file in the data directory: {@value}. */
  public static final String TOKENS_FILE = "tokens.json";

  /**
   * How long the minted tokens are valid: {@value #VALID_DAYS} days. A restart mints new ones; the
   * old ones stay valid until they expire, since the secret does not change.
   */
  public static final int VALID_DAYS = 30;

  /**
   * The environment variable that hands the secret to a service: Micronaut's name for {@value
   * SigningSecret#PROPERTY}. An environment variable rather than a command-line argument, which
   * every user of the machine could read in the process list.
   */
  public static final String SECRET_VARIABLE =
      SigningSecret.PROPERTY.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Copies the tokens. */
  public DevstackAuth {
    tokens = Map.copyOf(tokens);
  }

  /**
   * Reads the secret from the data directory, or generates and stores it on the first start, then
   * mints a token per role and writes them as {@code {"ingest": "...", "read": "...", "admin":
   * "..."}}, mode 600.
   *
   * @param dataDir the devstack's data directory, which exists
   * @param random the source of a new secret
   * @param clock when the tokens are minted
   * @return the secret and the tokens
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if a stored secret is shorter than HS256 allows
   */
  public static DevstackAuth prepare(Path dataDir, SecureRandom random, Clock clock)
      throws IOException {
    Path secretFile = dataDir.resolve(SECRET_FILE);
    SigningSecret secret;
    if (Files.exists(secretFile)) {
      secret = SigningSecret.read(secretFile);
    } else {
      secret = SigningSecret.generate(random);
      writeOwnerOnly(secretFile, secret.text() + "\n");
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    StringBuilder json = new StringBuilder("{");
    for (String role : Roles.ALL) {
      String token = secret.mint(role, Duration.ofDays(VALID_DAYS), clock);
      tokens.put(role, token);
      // Tokens are base64url and dots only: nothing to escape.
      json.append(json.length() > 1 ? ", " : "")
          .append('"')
          .append(role)
          .append("\": \"")
          .append(token)
          .append('"');
    }
    json.append("}\n");
    Path tokensFile = dataDir.resolve(TOKENS_FILE);
    writeOwnerOnly(tokensFile, json.toString());
    return new DevstackAuth(secret, tokens, tokensFile);
  }

  /**
   * Returns the token of a role.
   *
   * @param role one of {@link Roles#ALL}
   * @return its token
   */
  public String token(String role) {
    return tokens.get(Roles.require(role));
  }

  /** Writes through a file created with mode 600, so the text is never readable by others. */
  static void writeOwnerOnly(Path file, String text) throws IOException {
    Path temporary =
        Files.createTempFile(
            file.getParent(),
            file.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    Files.setPosixFilePermissions(file, OWNER_ONLY);
  }
}
