package dev.shardpipe.loadgen;

import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --token}: the bearer token sent to ingest-api and query-service, as a user sends it
 * (docs/security.md). Taken from {@code SHARDPIPE_TOKEN} when the option is not given.
 */
final class TokenOption {

  /** The environment variable read when {@code --token} is not given: {@value}. */
  static final String VARIABLE = "SHARDPIPE_TOKEN";

  @Option(
      names = "--token",
      defaultValue = "${env:" + VARIABLE + "}",
      description =
          "Bearer token for ingest-api and query-service (default: $"
              + VARIABLE
              + "). Posting needs role ingest, reading back read, /stats admin: an admin token"
              + " does all three. Not needed when the services run without authentication.")
  private @Nullable String token;

  /** Returns the token, or null when none was given: the services then run without auth. */
  @Nullable
  String token() {
    return token == null || token.isBlank() ? null : token.strip();
  }
}
