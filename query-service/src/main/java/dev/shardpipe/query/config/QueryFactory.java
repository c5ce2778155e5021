package dev.shardpipe.query.config;

import dev.shardpipe.catalog.CatalogClient;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.core.token.ReadTokenConfiguration;
import dev.shardpipe.query.merge.CursorCodec;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the cursor codec from {@code shardpipe.query.cursor-secret} and the read-token codec from
 * {@code shardpipe.read-token-secret} at start-up, so that a secret too short stops the service and
 * the warnings about default secrets come first in the log.
 */
@Requires(notEnv = CatalogClient.TOOL_ENVIRONMENT)
@Factory
final class QueryFactory {

  private static final Logger LOG = LoggerFactory.getLogger(QueryFactory.class);

  @Context
  CursorCodec cursorCodec(QueryConfiguration config) {
    if (config.usesDefaultCursorSecret()) {
      LOG.warn(
          "{}.cursor-secret is the built-in default, so anyone can forge page cursors; set it"
              + " (SHARDPIPE_QUERY_CURSOR_SECRET) to one secret shared by every query-service"
              + " instance",
          QueryConfiguration.PREFIX);
    }
    return new CursorCodec(config.cursorSecret());
  }

  @Context
  ReadTokenCodec readTokenCodec(ReadTokenConfiguration config) {
    if (config.usesDefaultSecret()) {
      LOG.warn(ReadTokenConfiguration.DEFAULT_SECRET_WARNING);
    }
    return config.codec();
  }
}
