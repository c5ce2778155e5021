package dev.shardpipe.testing;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Bearer tokens for tests, minted from one test secret the way a user mints them from theirs: the
 * services under test get the secret through {@link #serverProperties()}, requests carry {@link
 * #authorization(String)}. Authentication stays on in every test but the one that proves it can be
 * turned off.
 */
public final class TestTokens {

  /** The secret every service under test verifies with; 44 bytes, above HS256's minimum. */
  public static final SigningSecret SECRET =
      SigningSecret.of("shardpipe-test-secret-for-hs256-0123456789ab");

  /** The {@code Authorization} header's name: {@value}. */
  public static final String HEADER = "Authorization";

  private static final Duration VALID_FOR = Duration.ofHours(2);

  private TestTokens() {}

  /**
   * Returns the settings that make a service verify tokens with {@link #SECRET}.
   *
   * @return the signing-secret property, for {@code ApplicationContext.run} or as {@code
   *     --key=value}
   */
  public static Map<String, Object> serverProperties() {
    return Map.of(SigningSecret.PROPERTY, SECRET.text());
  }

  /**
   * Mints a token for a role, valid for two hours.
   *
   * @param role one of {@link Roles#ALL}
   * @return the compact JWT
   */
  public static String token(String role) {
    return SECRET.mint(role, VALID_FOR, Clock.systemUTC());
  }

  /**
   * Returns the {@code Authorization} header value for a role.
   *
   * @param role one of {@link Roles#ALL}
   * @return {@code Bearer <token>}
   */
  public static String authorization(String role) {
    return "Bearer " + token(role);
  }

  /**
   * Returns a request with a role's token, unless it already carries an {@code Authorization}
   * header (a test of a bad token sets its own).
   *
   * @param request the request
   * @param role one of {@link Roles#ALL}
   * @return the same request, or a copy with {@code Authorization: Bearer <token>}
   */
  public static HttpRequest authorized(HttpRequest request, String role) {
    if (request.headers().firstValue(HEADER).isPresent()) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true)
        .header(HEADER, authorization(role))
        .build();
  }
}
