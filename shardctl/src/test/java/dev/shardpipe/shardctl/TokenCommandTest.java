package dev.shardpipe.shardctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

  private static final String SECRET = "a-secret-of-more-than-thirty-two-bytes-0123";

  @Test
  void printsATokenForTheRoleSignedWithTheSecretOfTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status =
        ShardctlCommand.execute(
            new String[] {
              "token", "--role", "read", "--valid-for", "PT1H", "--secret-file", file.toString()
            },
            new PrintStream(out, true, UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, UTF_8));

    assertThat(status).isZero();
    SignedJWT jwt = SignedJWT.parse(out.toString(UTF_8).strip());
    assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(UTF_8)))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("read");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofHours(1)));
  }

  @Test
  void refusesAnUnknownRoleAsAUsageErrorAndAMissingSecretAsAFailure(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);

    assertThat(ShardctlCommand.execute(new String[] {"token", "--role", "root"}, out, errors))
        .isEqualTo(ShardctlCommand.USAGE);
    assertThat(err.toString(UTF_8)).contains("--role: unknown role \"root\"");
    assertThat(
            ShardctlCommand.execute(
                new String[] {
                  "token", "--role", "read", "--secret-file", dir.resolve("none").toString()
                },
                out,
                errors))
        .isEqualTo(ShardctlCommand.FAILED);
    assertThat(err.toString(UTF_8)).contains("cannot read the signing secret at");
  }
}
