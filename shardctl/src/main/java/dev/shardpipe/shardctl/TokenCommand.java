package dev.shardpipe.shardctl;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shardctl token --role read}: mints a bearer token for a role from the services' signing
 * secret and prints it (docs/security.md). Needs the secret's file, not the catalog.
 */
@Command(
    name = "token",
    description = {
      "Prints a bearer token for a role, signed with the secret ingest-api and query-service"
          + " verify tokens with: send it as Authorization: Bearer <token>."
    })
final class TokenCommand implements Callable<Integer> {

  /** Where the devstack keeps its secret, relative to the working directory: {@value}. */
  static final String DEVSTACK_SECRET = ".devstack/auth-secret";

  /** The variable naming the secret's file when {@code --secret-file} is not given: {@value}. */
  static final String SECRET_FILE_VARIABLE = "SHARDPIPE_AUTH_SECRET_FILE";

  @Option(
      names = "--role",
      required = true,
      description = "ingest, read or admin (docs/security.md says what each may do).")
  String role;

  @Option(
      names = "--valid-for",
      defaultValue = "PT24H",
      description = "How long the token is valid, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration validFor;

  @Option(
      names = "--secret-file",
      defaultValue = "${env:" + SECRET_FILE_VARIABLE + ":-" + DEVSTACK_SECRET + "}",
      description =
          "The file holding the signing secret, the one the services are given (default: $"
              + SECRET_FILE_VARIABLE
              + ", else the devstack's "
              + DEVSTACK_SECRET
              + ").")
  Path secretFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      Roles.require(role);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--role: " + e.getMessage());
    }
    if (validFor.isNegative() || validFor.isZero()) {
      throw new ParameterException(
          spec.commandLine(), "--valid-for must be positive, was " + validFor);
    }
    if (!Files.isReadable(secretFile)) {
      throw new ShardctlException(
          "cannot read the signing secret at "
              + secretFile
              + "; pass --secret-file (the file the services' secret comes from)");
    }
    SigningSecret secret = SigningSecret.read(secretFile);
    spec.commandLine().getOut().println(secret.mint(role, validFor, Clock.systemUTC()));
    return 0;
  }
}
