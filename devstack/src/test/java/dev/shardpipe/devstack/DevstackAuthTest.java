package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevstackAuthTest {

  @Test
  void generatesTheSecretOnceAndWritesATokenPerRoleReadableByTheOwnerOnly(@TempDir Path dir)
      throws Exception {
    DevstackAuth first = DevstackAuth.prepare(dir, new SecureRandom(), Clock.systemUTC());
    DevstackAuth second = DevstackAuth.prepare(dir, new SecureRandom(), Clock.systemUTC());

    assertThat(second.secret().text()).isEqualTo(first.secret().text());
    for (String file : new String[] {DevstackAuth.SECRET_FILE, DevstackAuth.TOKENS_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
    String json = Files.readString(dir.resolve(DevstackAuth.TOKENS_FILE));
    assertThat(json)
        .matches("\\{\"ingest\": \"[^\"]+\", \"read\": \"[^\"]+\", \"admin\": \"[^\"]+\"}\n");
    @SuppressWarnings("unchecked")
    Map<String, String> tokens = JsonMapper.createDefault().readValue(json, Map.class);
    for (Map.Entry<String, String> token : tokens.entrySet()) {
      SignedJWT jwt = SignedJWT.parse(token.getValue());
      assertThat(jwt.verify(new MACVerifier(first.secret().text().getBytes(UTF_8)))).isTrue();
      assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly(token.getKey());
    }
  }

  @Test
  void namesTheVariableMicronautReadsTheSecretFrom() {
    assertThat(DevstackAuth.SECRET_VARIABLE)
        .isEqualTo("MICRONAUT_SECURITY_TOKEN_JWT_SIGNATURES_SECRET_GENERATOR_SECRET");
  }
}
