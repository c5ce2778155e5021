package dev.shardpipe.query.merge;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * A row's position in the newest-first order of every list read (docs/contract.md §7): {@code
 * occurred_at} descending, then {@code id} descending. The id breaks ties, so the order is total
 * and a keyset cursor never skips or repeats a row that shares its instant with another.
 *
 * @param occurredAt the row's {@code occurred_at}, microsecond precision as stored by PostgreSQL
 * @param id the row's {@code id}
 */
public record Keyset(Instant occurredAt, UUID id) {

  /**
   * Newest first, the order of {@code ORDER BY occurred_at DESC, id DESC}. PostgreSQL orders {@code
   * uuid} by its 16 bytes unsigned, while {@link UUID#compareTo} compares signed halves; the two
   * disagree whenever a UUID's top bit is set, which would interleave shards out of SQL order.
   */
  public static final Comparator<Keyset> NEWEST_FIRST =
      Comparator.comparing(Keyset::occurredAt)
          .thenComparing(Keyset::id, Keyset::compareAsPostgres)
          .reversed();

  /**
   * Checks the components.
   *
   * @throws NullPointerException if one is null
   */
  public Keyset {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(id, "id");
  }

  /**
   * Compares two UUIDs as PostgreSQL compares {@code uuid} values: byte by byte, unsigned.
   *
   * @param a one UUID
   * @param b another
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compareAsPostgres(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
