package dev.shardpipe.catalog;

import dev.shardpipe.catalog.CatalogRows.HistoryRow;
import dev.shardpipe.catalog.CatalogRows.MetaRow;
import dev.shardpipe.catalog.CatalogRows.MoveRow;
import dev.shardpipe.catalog.CatalogRows.PlacementRow;
import dev.shardpipe.catalog.CatalogRows.ShardRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.Repository;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/**
 * The catalog's statements, one repository per table, all on the {@value #DATASOURCE} data source.
 * Every state change is conditional on the state it leaves, so two processes that drive the same
 * move cannot both make one transition: the second changes no row.
 */
final class CatalogRepositories {

  /** The name of the catalog's data source, {@code datasources.catalog.*}: {@value}. */
  static final String DATASOURCE = "catalog";

  private CatalogRepositories() {}

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface MetaRepository extends GenericRepository<MetaRow, Boolean> {

    @Query("SELECT * FROM catalog_meta")
    Optional<MetaRow> find();

    @Query("SELECT * FROM catalog_meta FOR UPDATE")
    Optional<MetaRow> lock();

    @Query(
        "INSERT INTO catalog_meta (singleton, partitions, version) VALUES (true, :partitions, 0)"
            + " ON CONFLICT (singleton) DO NOTHING")
    int insertIfAbsent(int partitions);

    @Query("UPDATE catalog_meta SET version = version + 1, updated_at = now()")
    int bump();

    @Query("SELECT version FROM catalog_meta")
    long version();

    @Query("SELECT pg_notify('shardpipe_catalog', CAST(:version AS text)) IS NULL")
    boolean notifyVersion(long version);
  }

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface ShardRepository extends GenericRepository<ShardRow, String> {

    @Query("SELECT * FROM shards ORDER BY name")
    List<ShardRow> list();

    @Query(
        "INSERT INTO shards (name, url, region, state) VALUES (:name, :url, :region, 'active')"
            + " ON CONFLICT (name) DO NOTHING")
    int insert(String name, String url, @Nullable String region);

    @Query("UPDATE shards SET state = :state, updated_at = now() WHERE name = :name")
    int updateState(String name, String state);
  }

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface PlacementRepository extends GenericRepository<PlacementRow, Integer> {

    @Query("SELECT * FROM placement ORDER BY partition")
    List<PlacementRow> list();

    @Query("INSERT INTO placement (partition, shard) VALUES (:partition, :shard)")
    int insert(int partition, String shard);

    @Query("UPDATE placement SET shard = :shard WHERE partition = :partition")
    int place(int partition, String shard);
  }

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface MoveRepository extends GenericRepository<MoveRow, Long> {

    @Query("SELECT * FROM moves WHERE state NOT IN ('done', 'aborted') ORDER BY id")
    List<MoveRow> listActive();

    @Query("SELECT * FROM moves ORDER BY id DESC LIMIT :limit")
    List<MoveRow> listRecent(int limit);

    @Query("SELECT * FROM moves WHERE id = :id")
    Optional<MoveRow> find(long id);

    @Query(
        "INSERT INTO moves (partition, from_shard, to_shard, state) VALUES (:partition, :from,"
            + " :to, 'copying') RETURNING id")
    long insert(int partition, String from, String to);

    @Query(
        "UPDATE moves SET state = :to, updated_at = now(),"
            + " finished_at = CASE WHEN :to IN ('done', 'aborted') THEN now() END"
            + " WHERE id = :id AND state = :from")
    int transition(long id, String from, String to);

    @Query(
        "UPDATE moves SET state = 'catching_up', snapshot_offset = :snapshotOffset, rows_copied ="
            + " :rows, error = NULL, updated_at = now() WHERE id = :id AND state = 'copying'")
    int copied(long id, @Nullable Long snapshotOffset, long rows);

    @Query("UPDATE moves SET rows_copied = :rows WHERE id = :id AND state = 'copying'")
    int copyProgress(long id, long rows);

    @Query(
        "UPDATE moves SET final_offset = :finalOffset, updated_at = now() WHERE id = :id AND"
            + " state = 'cutover' AND final_offset IS NULL")
    int fenced(long id, long finalOffset);

    @Query(
        "UPDATE moves SET state = 'cleaning', cutover_version = :version, updated_at = now()"
            + " WHERE id = :id AND state = 'cutover' AND final_offset IS NOT NULL")
    int switched(long id, long version);

    @Query("UPDATE moves SET error = :error, updated_at = now() WHERE id = :id")
    int error(long id, @Nullable String error);
  }

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface HistoryRepository extends GenericRepository<HistoryRow, Long> {

    @Query(
        "INSERT INTO history (version, actor, action, detail) VALUES (:version, :actor, :action,"
            + " :detail)")
    int record(long version, String actor, String action, String detail);
  }

  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Repository(DATASOURCE)
  interface ReaderRepository extends GenericRepository<HistoryRow, Long> {

    @Query(
        "INSERT INTO placement_readers (instance, version, seen_at) VALUES (:instance, :version,"
            + " now()) ON CONFLICT (instance) DO UPDATE SET version = EXCLUDED.version, seen_at ="
            + " now()")
    int seen(String instance, long version);

    @Query(
        "SELECT count(*) FROM placement_readers WHERE version < :version AND seen_at > now() -"
            + " make_interval(secs => :liveSeconds)")
    long behind(long version, double liveSeconds);
  }
}
