package dev.shardpipe.auth.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.WwwAuthenticateChallenge;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import io.micronaut.security.filters.SecurityFilter;
import jakarta.inject.Singleton;

/**
 * The {@code WWW-Authenticate} header of a {@code 401}, which RFC 6750 section 3 asks of a bearer
 * token resource server: {@code Bearer realm="shardpipe"}, with {@code error="invalid_token"} when
 * a token was sent but refused. micronaut-security-jwt sends none by itself.
 */
@Singleton
@Requires(classes = SecurityFilter.class)
@Requires(property = "micronaut.security.enabled", notEquals = StringUtils.FALSE)
final class BearerChallenge implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {

  @Override
  public String getWwwAuthenticateChallenge(HttpRequest<?> request) {
    WwwAuthenticateChallenge.Builder challenge =
        WwwAuthenticateChallenge.builder().authScheme("Bearer").param("realm", "shardpipe");
    if (request.getHeaders().getAuthorization().isPresent()) {
      challenge.param("error", "invalid_token");
    }
    return challenge.build().toString();
  }
}
