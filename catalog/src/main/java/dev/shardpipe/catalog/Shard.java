package dev.shardpipe.catalog;

import io.micronaut.core.annotation.Nullable;
import java.util.Objects;

/**
 * A shard as the catalog knows it.
 *
 * @param name the shard's name, {@code [a-z][a-z0-9_]{0,30}}, such as {@code eu}
 * @param url the JDBC URL of its database, {@code jdbc:postgresql:...}
 * @param region the region it serves, such as {@code europe}, or null for none
 * @param state where it is in its life
 */
public record Shard(String name, String url, @Nullable String region, ShardState state) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if name, url or state is null
   */
  public Shard {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(state, "state");
  }
}
