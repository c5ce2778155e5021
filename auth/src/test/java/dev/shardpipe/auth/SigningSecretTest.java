package dev.shardpipe.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningSecretTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);

  @Test
  void mintsAnHs256TokenWithTheRoleThatVerifiesWithTheSecretsUtf8Bytes() throws Exception {
    SigningSecret secret = SigningSecret.of("a-test-secret-that-is-long-enough-for-hs256");
    SignedJWT jwt = SignedJWT.parse(secret.mint(Roles.READ, Duration.ofHours(1), CLOCK));

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.verify(new MACVerifier(secret.text().getBytes(UTF_8)))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("read");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("read");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
  }

  @Test
  void aTokenOfAnotherSecretDoesNotVerify() throws Exception {
    SigningSecret one = SigningSecret.generate(new SecureRandom());
    SigningSecret other = SigningSecret.generate(new SecureRandom());
    SignedJWT jwt = SignedJWT.parse(one.mint(Roles.ADMIN, Duration.ofMinutes(1), CLOCK));

    assertThat(jwt.verify(new MACVerifier(other.text().getBytes(UTF_8)))).isFalse();
  }

  @Test
  void generatesA43CharacterSecretThatIsAccepted() {
    SigningSecret secret = SigningSecret.generate(new SecureRandom());

    assertThat(secret.text()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(SigningSecret.of(secret.text()).text()).isEqualTo(secret.text());
    assertThat(secret.toString()).doesNotContain(secret.text());
  }

  @Test
  void refusesASecretShorterThan256Bits() {
    assertThatThrownBy(() -> SigningSecret.of("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is 5 bytes; HS256 needs at least 32");
  }

  @Test
  void readsAFileWithoutItsTrailingLineBreak(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "0123456789abcdef0123456789abcdef\n");

    assertThat(SigningSecret.read(file).text()).isEqualTo("0123456789abcdef0123456789abcdef");
  }

  @Test
  void refusesAnUnknownRoleOrANonPositiveValidity() {
    SigningSecret secret = SigningSecret.generate(new SecureRandom());

    assertThatThrownBy(() -> secret.mint("writer", Duration.ofMinutes(1), CLOCK))
        .hasMessage("unknown role \"writer\"; the roles are ingest, read, admin");
    assertThatThrownBy(() -> secret.mint(Roles.READ, Duration.ZERO, CLOCK))
        .hasMessage("validFor must be positive, was PT0S");
  }
}
