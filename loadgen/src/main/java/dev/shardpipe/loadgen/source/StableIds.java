package dev.shardpipe.loadgen.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import dev.shardpipe.core.event.EventKind;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;

/**
 * Deterministic ids and owners for events from real sources, so that loading the same source twice
 * adds no rows: the writers upsert by id (docs/contract.md §3, "delivering any event twice changes
 * nothing").
 *
 * <p>Ids are name-based UUIDs, version 5 (SHA-1, RFC 9562 section 5.5) in the URL namespace, so any
 * tool can compute the same id: a commit's is {@code uuid5(URL, "urn:shardpipe:git-commit:<sha>")},
 * a file's {@code uuid5(URL, "file:///<absolute path>")} (the path's URI, as {@link Path#toUri()}
 * writes it), a synthetic event's {@code uuid5(URL, "urn:shardpipe:synthetic:<seed>:<type>:<n>")}.
 */
public final class StableIds {

  private static final NameBasedGenerator URL_NAMES =
      Generators.nameBasedGenerator(NameBasedGenerator.NAMESPACE_URL);

  private StableIds() {}

  /**
   * Returns the id of a git commit's tweet.
   *
   * @param commitId the commit's full hexadecimal object id
   * @return a version 5 UUID, the same for the same commit in every clone
   */
  public static UUID commit(String commitId) {
    return URL_NAMES.generate("urn:shardpipe:git-commit:" + commitId.toLowerCase(Locale.ROOT));
  }

  /**
   * Returns the id of a file's metadata.
   *
   * @param absolutePath the file's absolute path (the real path of the tree's root joined with the
   *     file's relative path)
   * @return a version 5 UUID of the path's URI
   * @throws IllegalArgumentException if the path is relative
   */
  public static UUID file(Path absolutePath) {
    if (!absolutePath.isAbsolute()) {
      throw new IllegalArgumentException("path must be absolute, was " + absolutePath);
    }
    return URL_NAMES.generate(absolutePath.toUri().toString());
  }

  /**
   * Returns the id of the n-th synthetic event of a seed.
   *
   * @param seed the run's seed
   * @param type tweet or file
   * @param n the event's index, from 0
   * @return a version 5 UUID
   */
  public static UUID synthetic(long seed, EventKind type, long n) {
    return URL_NAMES.generate("urn:shardpipe:synthetic:" + seed + ":" + type.wireName() + ":" + n);
  }

  /**
   * Returns a stable, non-negative owner id for an e-mail address: the first 8 bytes of the SHA-256
   * of the address (trimmed, lower case, UTF-8) read as a big-endian {@code int64}, with the sign
   * bit cleared. The same author gets the same {@code owner_id} in every repository.
   *
   * @param email the address as git records it; may be empty
   * @return an owner id in {@code 0..Long.MAX_VALUE}
   */
  public static long owner(String email) {
    byte[] digest = sha256(email.strip().toLowerCase(Locale.ROOT).getBytes(UTF_8));
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong() & Long.MAX_VALUE;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's documentation).
      throw new IllegalStateException(e);
    }
  }
}
