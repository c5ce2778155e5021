package dev.shardpipe.auth.http;

import dev.shardpipe.auth.SigningSecret;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.filters.SecurityFilter;
import jakarta.inject.Singleton;

/**
 * Stops a service before its HTTP server starts when authentication is on but the signing secret is
 * missing or too short. Without it micronaut-security-jwt would start and answer every request
 * {@code 401}, which looks like a client's mistake rather than the operator's. Bound to the server,
 * not to the context: tools that open a context on the same classpath (the catalog client) serve no
 * HTTP and need no secret.
 */
@Singleton
@Requires(classes = SecurityFilter.class)
@Requires(property = "micronaut.security.enabled", notEquals = StringUtils.FALSE)
final class SigningSecretCheck implements BeanCreatedEventListener<EmbeddedServer> {

  private final @Nullable String secret;

  SigningSecretCheck(@Property(name = SigningSecret.PROPERTY) @Nullable String secret) {
    this.secret = secret;
  }

  @Override
  public EmbeddedServer onCreated(BeanCreatedEvent<EmbeddedServer> event) {
    if (secret == null || secret.isBlank()) {
      throw new ConfigurationException(
          "authentication is on but "
              + SigningSecret.PROPERTY
              + " is not set: set it (in compose, from a file with"
              + " MICRONAUT_SECURITY_TOKEN_JWT_SIGNATURES_SECRET_GENERATOR_SECRET_FILE), or turn"
              + " authentication off with micronaut.security.enabled=false");
    }
    try {
      SigningSecret.of(secret);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(SigningSecret.PROPERTY + ": " + e.getMessage());
    }
    return event.getBean();
  }
}
