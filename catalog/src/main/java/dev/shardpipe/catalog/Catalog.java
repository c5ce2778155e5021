package dev.shardpipe.catalog;

import dev.shardpipe.catalog.CatalogRepositories.HistoryRepository;
import dev.shardpipe.catalog.CatalogRepositories.MetaRepository;
import dev.shardpipe.catalog.CatalogRepositories.MoveRepository;
import dev.shardpipe.catalog.CatalogRepositories.PlacementRepository;
import dev.shardpipe.catalog.CatalogRepositories.ReaderRepository;
import dev.shardpipe.catalog.CatalogRepositories.ShardRepository;
import dev.shardpipe.catalog.CatalogRows.MetaRow;
import dev.shardpipe.catalog.CatalogRows.MoveRow;
import dev.shardpipe.catalog.CatalogRows.PlacementRow;
import dev.shardpipe.catalog.CatalogRows.ShardRow;
import dev.shardpipe.core.config.DatabaseConfiguration;
import dev.shardpipe.core.event.EventKind;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;

/**
 * The catalog database (docs/elasticity.md): shards, the placement of every partition on a shard,
 * the moves of partitions between shards, and the history of every change.
 *
 * <p>Every change of placement, of a shard or of a move's state is one transaction that also bumps
 * the catalog's version, records who did what in {@code history}, and sends the new version on the
 * notification channel {@value #CHANNEL}, so that every service sees it within milliseconds ({@link
 * CatalogWatcher}). Move transitions are conditional on the state they leave, so they are
 * idempotent: a transition already made by another process changes nothing and returns the move as
 * it is now. Rule violations throw {@link CatalogRefusedException} with a one-line reason.
 *
 * <p>Thread-safe.
 */
@Singleton
public final class Catalog {

  /** The PostgreSQL notification channel that carries each new version: {@value}. */
  public static final String CHANNEL = "shardpipe_catalog";

  private static final Pattern SHARD_NAME = Pattern.compile(Placement.SHARD_NAME_PATTERN);
  private static final String UNIQUE_VIOLATION = "23505";

  private final TransactionOperations<Connection> tx;
  private final DatasourceConfiguration datasource;
  private final MetaRepository meta;
  private final ShardRepository shards;
  private final PlacementRepository placement;
  private final MoveRepository moves;
  private final HistoryRepository history;
  private final ReaderRepository readers;
  private final ShardSql sql;

  Catalog(
      @Named(CatalogRepositories.DATASOURCE) TransactionOperations<Connection> tx,
      @Named(CatalogRepositories.DATASOURCE) DatasourceConfiguration datasource,
      MetaRepository meta,
      ShardRepository shards,
      PlacementRepository placement,
      MoveRepository moves,
      HistoryRepository history,
      ReaderRepository readers,
      DatabaseConfiguration database) {
    this.tx = tx;
    this.datasource = datasource;
    this.meta = meta;
    this.shards = shards;
    this.placement = placement;
    this.moves = moves;
    this.history = history;
    this.readers = readers;
    this.sql = new ShardSql(database.user(), database.password());
  }

  /**
   * Returns where the catalog is.
   *
   * @return the JDBC URL of {@code datasources.catalog}
   */
  public String url() {
    return datasource.getUrl();
  }

  /**
   * Opens a connection of its own to the catalog, outside the pool: for {@code LISTEN}, which needs
   * one session for as long as it listens.
   *
   * @return a new connection in auto-commit mode; the caller closes it
   * @throws SQLException if the catalog cannot be reached
   */
  Connection openDedicated() throws SQLException {
    return java.sql.DriverManager.getConnection(
        datasource.getUrl(), datasource.getUsername(), datasource.getPassword());
  }

  /**
   * Creates or upgrades the catalog's tables with the versioned migrations in {@code db/catalog}.
   * Safe to call from several processes at once (Flyway takes a lock).
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails or the catalog cannot be
   *     reached
   */
  public void migrate() {
    Flyway.configure()
        .dataSource(datasource.getUrl(), datasource.getUsername(), datasource.getPassword())
        .locations("classpath:db/catalog")
        .load()
        .migrate();
    boolean created =
        tx.executeWrite(
            status -> {
              Connection c = status.getConnection();
              // A kind added since the catalog was created has no parent yet; once created, it
              // needs every partition placed, as a new catalog does.
              boolean existed = true;
              for (EventKind kind : EventKind.values()) {
                existed &= tableExists(c, kind.table());
              }
              sql.ensureParents(c);
              return !existed;
            });
    if (created && tx.executeRead(status -> meta.find()).isPresent()) {
      tx.executeWrite(
          status -> {
            mapAll(status.getConnection(), snapshotNow());
            return null;
          });
    }
  }

  /** Points SQL over every shard at the whole catalog: every shard's server, every partition. */
  private void mapAll(Connection c, CatalogSnapshot now) throws SQLException {
    for (Shard shard : now.shardList()) {
      if (shard.state() != ShardState.REMOVED) {
        sql.addServer(c, shard);
      }
    }
    for (int p = 0; p < now.partitions(); p++) {
      sql.place(c, p, now.shardOf(p));
    }
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    try (java.sql.PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      s.setString(1, table);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Fills an empty catalog: the shards and the placement of {@code shardpipe.placement}, version 1.
   * Does nothing when the catalog already has a placement; of several processes seeding at once,
   * one does it.
   *
   * @param seed the placement to start from
   * @param shardUrls the JDBC URL of every shard the placement names
   * @param shardRegions the region of each shard; a shard absent here has none
   * @param actor who seeds, for the history
   * @return the catalog as it is afterwards
   * @throws IllegalStateException if the catalog holds another partition count than {@code seed}: P
   *     never changes for the life of the topic
   * @throws IllegalArgumentException if a shard of the placement has no URL
   */
  public CatalogSnapshot seedIfEmpty(
      Placement seed,
      Map<String, String> shardUrls,
      Map<String, String> shardRegions,
      String actor) {
    tx.executeWrite(
        status -> {
          if (meta.insertIfAbsent(seed.partitions()) == 0) {
            return null;
          }
          for (String shard : seed.shards()) {
            String url = shardUrls.get(shard);
            if (url == null) {
              throw new IllegalArgumentException("no JDBC URL for shard " + shard);
            }
            shards.insert(shard, url, shardRegions.get(shard));
          }
          for (int p = 0; p < seed.partitions(); p++) {
            placement.insert(p, seed.shardOf(p));
          }
          changed(actor, "seed", "placement " + describe(seed));
          mapAll(status.getConnection(), snapshotNow());
          return null;
        });
    CatalogSnapshot snapshot = load();
    if (snapshot.partitions() != seed.partitions()) {
      throw new IllegalStateException(
          "the catalog at "
              + url()
              + " places "
              + snapshot.partitions()
              + " partitions, but shardpipe.partitions is "
              + seed.partitions()
              + "; the partition count never changes for the life of the topic");
    }
    return snapshot;
  }

  /**
   * Reads the whole catalog in one consistent snapshot.
   *
   * @return the catalog
   * @throws IllegalStateException if the catalog has not been seeded
   * @throws io.micronaut.data.exceptions.DataAccessException if the catalog cannot be read
   */
  public CatalogSnapshot load() {
    return tx.executeRead(
        status -> {
          repeatableRead(status.getConnection());
          return snapshotNow();
        });
  }

  /** Reads the catalog in the current transaction. */
  private CatalogSnapshot snapshotNow() {
    MetaRow row =
        meta.find()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the catalog at "
                            + url()
                            + " is empty; it is seeded when a"
                            + " service or shardctl first starts"));
    Map<Integer, String> placed = new LinkedHashMap<>();
    for (PlacementRow p : placement.list()) {
      placed.put(p.partition(), p.shard());
    }
    return new CatalogSnapshot(
        row.version(),
        row.partitions(),
        shards.list().stream().map(ShardRow::toShard).toList(),
        placed,
        moves.listActive().stream().map(MoveRow::toMove).toList());
  }

  /**
   * Starts a change that checks rules against the catalog: takes the catalog's row lock, so that
   * changes are serialised and each checks the catalog as the one before it left it, then reads it.
   */
  private CatalogSnapshot lockAndRead() {
    meta.lock();
    return snapshotNow();
  }

  /**
   * Reads the newest moves, ended ones included.
   *
   * @param limit how many, {@code >= 1}
   * @return the moves, newest first
   */
  public List<Move> recentMoves(int limit) {
    return tx.executeRead(status -> moves.listRecent(limit)).stream().map(MoveRow::toMove).toList();
  }

  /**
   * Reads one move.
   *
   * @param id the move's id
   * @return the move, or empty when there is none with that id
   */
  public Optional<Move> move(long id) {
    return tx.executeRead(status -> moves.find(id)).map(MoveRow::toMove);
  }

  /**
   * Registers a shard. It holds no partition until one is moved to it.
   *
   * @param name the shard's name, {@value Placement#SHARD_NAME_PATTERN}
   * @param url the JDBC URL of its database
   * @param region its region, or null
   * @param actor who adds it, for the history
   * @return the shard
   * @throws CatalogRefusedException if the name is invalid or taken (removed shards included: a
   *     name is never reused, so history stays unambiguous)
   */
  public Shard addShard(String name, String url, @Nullable String region, String actor) {
    if (!SHARD_NAME.matcher(name).matches()) {
      throw new CatalogRefusedException(
          "shard name \"" + name + "\" must match " + Placement.SHARD_NAME_PATTERN);
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new CatalogRefusedException(
          "shard " + name + ": the URL must start with jdbc:postgresql:, was " + url);
    }
    return tx.executeWrite(
        status -> {
          if (shards.insert(name, url, region) == 0) {
            throw new CatalogRefusedException(
                "a shard named " + name + " exists already; shard names are never reused");
          }
          changed(
              actor,
              "add-shard",
              "shard " + name + " at " + url + (region == null ? "" : " in region " + region));
          Shard added = new Shard(name, url, region, ShardState.ACTIVE);
          sql.addServer(status.getConnection(), added);
          return added;
        });
  }

  /**
   * Marks a shard draining: it takes no new partitions, and {@code shardctl drain} moves its own
   * away.
   *
   * @param name the shard
   * @param pins which partitions must stay in which region
   * @param actor who drains it, for the history
   * @throws CatalogRefusedException if the shard is unknown or removed, or it is the last active
   *     shard of a region that partitions are pinned to
   */
  public void drain(String name, RegionPins pins, String actor) {
    tx.executeWrite(
        status -> {
          CatalogSnapshot now = lockAndRead();
          Shard shard = requireShard(now, name);
          if (shard.state() == ShardState.REMOVED) {
            throw new CatalogRefusedException("shard " + name + " is removed");
          }
          if (shard.state() == ShardState.DRAINING) {
            return null;
          }
          List<Integer> pinnedHere = new ArrayList<>();
          for (int p : now.partitionsOf(name)) {
            Optional<String> region = pins.regionOf(p);
            if (region.isPresent()) {
              boolean elsewhere =
                  now.shardList().stream()
                      .anyMatch(
                          s ->
                              !s.name().equals(name)
                                  && s.state() == ShardState.ACTIVE
                                  && region.get().equals(s.region()));
              if (!elsewhere) {
                pinnedHere.add(p);
              }
            }
          }
          if (!pinnedHere.isEmpty()) {
            throw new CatalogRefusedException(
                "shard "
                    + name
                    + " is the last active shard of region "
                    + pins.regionOf(pinnedHere.get(0)).orElseThrow()
                    + ", which partitions "
                    + list(pinnedHere)
                    + " are pinned to; add another shard in that region first");
          }
          shards.updateState(name, ShardState.DRAINING.label());
          changed(actor, "drain", "shard " + name + " draining");
          return null;
        });
  }

  /**
   * Marks a shard removed: no service reads or writes it any more.
   *
   * @param name the shard
   * @param actor who removes it, for the history
   * @throws CatalogRefusedException if the shard is unknown, still holds partitions, or a move from
   *     or to it is under way
   */
  public void removeShard(String name, String actor) {
    tx.executeWrite(
        status -> {
          CatalogSnapshot now = lockAndRead();
          Shard shard = requireShard(now, name);
          if (shard.state() == ShardState.REMOVED) {
            return null;
          }
          List<Integer> held = now.partitionsOf(name);
          if (!held.isEmpty()) {
            throw new CatalogRefusedException(
                "shard "
                    + name
                    + " still holds partitions "
                    + list(held)
                    + "; `shardctl drain "
                    + name
                    + "` first");
          }
          Optional<Move> moving =
              now.activeMoves().stream()
                  .filter(m -> m.from().equals(name) || m.to().equals(name))
                  .findFirst();
          if (moving.isPresent()) {
            throw new CatalogRefusedException(
                "move "
                    + moving.get().id()
                    + " of partition "
                    + moving.get().partition()
                    + " involves shard "
                    + name
                    + " ("
                    + moving.get().state().label()
                    + "); wait for it to finish");
          }
          shards.updateState(name, ShardState.REMOVED.label());
          changed(actor, "remove-shard", "shard " + name + " removed");
          sql.dropServer(status.getConnection(), name);
          return null;
        });
  }

  /**
   * Starts moving a partition: records the move in state {@code copying}.
   *
   * @param partition the partition, in {@code 0..P-1}
   * @param to the target shard, active
   * @param pins which partitions must stay in which region
   * @param allowCrossRegion place a pinned partition on a shard of another region anyway
   * @param actor who moves it, for the history
   * @return the move
   * @throws CatalogRefusedException if the partition is out of range, already on the target or
   *     moving, the target is unknown, removed or draining, or it is in another region than the
   *     partition is pinned to and {@code allowCrossRegion} is false
   */
  public Move startMove(
      int partition, String to, RegionPins pins, boolean allowCrossRegion, String actor) {
    try {
      return tx.executeWrite(
          status -> {
            CatalogSnapshot now = lockAndRead();
            if (partition < 0 || partition >= now.partitions()) {
              throw new CatalogRefusedException(
                  "partition " + partition + " is outside 0.." + (now.partitions() - 1));
            }
            Shard target = requireShard(now, to);
            if (target.state() != ShardState.ACTIVE) {
              throw new CatalogRefusedException(
                  "shard " + to + " is " + target.state().label() + "; it takes no partitions");
            }
            Optional<Move> moving = now.activeMoveOf(partition);
            if (moving.isPresent()) {
              throw movingRefusal(moving.get());
            }
            String from = now.shardOf(partition);
            if (from.equals(to)) {
              throw new CatalogRefusedException(
                  "partition " + partition + " is on shard " + to + " already");
            }
            Optional<String> region = pins.regionOf(partition);
            if (region.isPresent() && !region.get().equals(target.region()) && !allowCrossRegion) {
              throw new CatalogRefusedException(
                  "partition "
                      + partition
                      + " is pinned to region "
                      + region.get()
                      + " and shard "
                      + to
                      + " is in "
                      + (target.region() == null ? "no region" : "region " + target.region())
                      + "; pass --allow-cross-region to place it there anyway");
            }
            long id = moves.insert(partition, from, to);
            changed(
                actor,
                "move",
                "move " + id + ": partition " + partition + " " + from + " -> " + to);
            return moves.find(id).orElseThrow().toMove();
          });
    } catch (RuntimeException e) {
      if (isUniqueViolation(e)) {
        throw new CatalogRefusedException(
            "partition " + partition + " is moving already; see `shardctl status`");
      }
      throw e;
    }
  }

  /**
   * Records that the copy is done: {@code copying -> catching_up}.
   *
   * @param id the move
   * @param snapshotOffset the source's applied offset in the copied snapshot, or null for none
   * @param rows rows and tombstones copied
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move
   */
  public Move copied(long id, @Nullable Long snapshotOffset, long rows) {
    return transition(
        id,
        "copied " + rows + " rows at offset " + snapshotOffset,
        () -> moves.copied(id, snapshotOffset, rows));
  }

  /**
   * Records how far a copy is, without a new version (progress is not a placement change).
   *
   * @param id the move
   * @param rows rows and tombstones copied so far
   */
  public void copyProgress(long id, long rows) {
    tx.executeWrite(status -> moves.copyProgress(id, rows));
  }

  /**
   * Asks for the cutover: {@code catching_up -> cutover}. The source's writer fences itself off the
   * partition when it sees this.
   *
   * @param id the move
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move
   */
  public Move requestCutover(long id) {
    return transition(
        id,
        "cutover requested",
        () -> moves.transition(id, MoveState.CATCHING_UP.label(), MoveState.CUTOVER.label()));
  }

  /**
   * Records the source's final offset once it is fenced off the partition.
   *
   * @param id the move
   * @param finalOffset the next offset the source would have applied; the target must apply up to
   *     here before the placement switches
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move
   */
  public Move fenced(long id, long finalOffset) {
    return transition(
        id, "source fenced at offset " + finalOffset, () -> moves.fenced(id, finalOffset));
  }

  /**
   * Switches the placement: the partition is placed on the target, in the same transaction as the
   * move goes {@code cutover -> cleaning} and the version rises. Callers check first that the
   * target has applied up to the final offset.
   *
   * @param id the move
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move
   */
  public Move switchPlacement(long id) {
    return tx.executeWrite(
        status -> {
          Move move = requireMove(id);
          if (move.state() != MoveState.CUTOVER || move.finalOffset() == null) {
            return move;
          }
          placement.place(move.partition(), move.to());
          sql.place(status.getConnection(), move.partition(), move.to());
          long version =
              changed(
                  "move-" + id,
                  "switch",
                  "partition " + move.partition() + " placed on " + move.to());
          moves.switched(id, version);
          return requireMove(id);
        });
  }

  /**
   * Records the end of a move: {@code cleaning -> done}.
   *
   * @param id the move
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move
   */
  public Move finish(long id) {
    return transition(
        id, "done", () -> moves.transition(id, MoveState.CLEANING.label(), MoveState.DONE.label()));
  }

  /**
   * Rolls a move back before its cutover: {@code copying|catching_up -> aborted}. The caller then
   * fences the target off the partition and drops the target's copy.
   *
   * @param id the move
   * @param actor who aborts it, for the history
   * @return the move as it is now
   * @throws CatalogRefusedException if there is no such move, or it is past its cutover
   */
  public Move abort(long id, String actor) {
    return tx.executeWrite(
        status -> {
          Move move = requireMove(id);
          if (move.state() == MoveState.ABORTED) {
            return move;
          }
          if (!move.state().abortable()) {
            throw new CatalogRefusedException(
                "move "
                    + id
                    + " is "
                    + move.state().label()
                    + ", past the point where it can be rolled back; `shardctl resume` finishes"
                    + " it");
          }
          if (moves.transition(id, move.state().label(), MoveState.ABORTED.label()) == 1) {
            changed(actor, "abort", "move " + id + " of partition " + move.partition());
          }
          return requireMove(id);
        });
  }

  /**
   * Records an error a step met, for {@code shardctl status}; no new version.
   *
   * @param id the move
   * @param error one line, or null to clear
   */
  public void recordError(long id, @Nullable String error) {
    tx.executeWrite(status -> moves.error(id, error));
  }

  /**
   * Records the placement version a reader (a query-service instance) uses now.
   *
   * @param instance the reader's unique name
   * @param version the version its requests use from now on
   */
  public void readerSeen(String instance, long version) {
    tx.executeWrite(status -> readers.seen(instance, version));
  }

  /**
   * Tells whether every live reader uses at least a version.
   *
   * @param version the version
   * @param liveWithin a reader not seen for this long is taken to be gone
   * @return true when no reader seen within {@code liveWithin} reports an older version
   */
  public boolean readersAtLeast(long version, Duration liveWithin) {
    return tx.executeRead(status -> readers.behind(version, liveWithin.toMillis() / 1000.0)) == 0;
  }

  /**
   * Builds the refusal for a partition that is moving, naming the move and how to end it.
   *
   * @param move the move under way
   * @return the exception, one line
   */
  public static CatalogRefusedException movingRefusal(Move move) {
    return new CatalogRefusedException(
        "partition "
            + move.partition()
            + " is moving (move "
            + move.id()
            + ", "
            + move.state().label()
            + "); wait or `shardctl abort "
            + move.id()
            + "`");
  }

  private Move transition(long id, String detail, Supplier<Integer> update) {
    return tx.executeWrite(
        status -> {
          if (update.get() == 1) {
            changed("move-" + id, "move-state", "move " + id + ": " + detail);
          }
          return requireMove(id);
        });
  }

  private Move requireMove(long id) {
    return moves
        .find(id)
        .map(MoveRow::toMove)
        .orElseThrow(() -> new CatalogRefusedException("there is no move " + id));
  }

  private static Shard requireShard(CatalogSnapshot now, String name) {
    return now.shard(name)
        .orElseThrow(
            () ->
                new CatalogRefusedException(
                    "there is no shard " + name + "; shards are " + now.shards()));
  }

  /** Bumps the version, records the change and notifies; returns the new version. */
  private long changed(String actor, String action, String detail) {
    meta.bump();
    long version = meta.version();
    history.record(version, actor, action, detail);
    meta.notifyVersion(version);
    return version;
  }

  private static void repeatableRead(Connection connection) {
    try (Statement s = connection.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the catalog in one snapshot", e);
    }
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Placement placement) {
    return placement.shards().stream()
        .map(s -> s + "=" + list(placement.partitionsOf(s)))
        .collect(Collectors.joining(" "));
  }

  /**
   * Lists partitions compactly, ranges joined: {@code 0-3, 6, 8-9}.
   *
   * @param partitions ascending partitions
   * @return the list
   */
  static String list(List<Integer> partitions) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < partitions.size()) {
      int first = partitions.get(i);
      int last = first;
      while (i + 1 < partitions.size() && partitions.get(i + 1) == last + 1) {
        last = partitions.get(++i);
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(first == last ? String.valueOf(first) : first + "-" + last);
      i++;
    }
    return out.toString();
  }
}
