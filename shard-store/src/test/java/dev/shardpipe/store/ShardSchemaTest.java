package dev.shardpipe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.EventKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardSchemaTest {

  @Test
  void listsThePartitionedTablesInCopyOrder() {
    assertThat(ShardSchema.all())
        .extracting(ShardTable::name)
        .containsExactly("tweets", "file_metadata", "tweet_tombstones", "file_metadata_tombstones");
    assertThat(ShardSchema.all()).allMatch(ShardTable::partitioned);
    assertThat(ShardSchema.APPLIED_OFFSETS.partitioned()).isFalse();
  }

  @Test
  void tombstoneTablesNameTheTableTheyRecordDeletesOf() {
    assertThat(ShardSchema.TWEET_TOMBSTONES.tombstonesOf()).isEqualTo("tweets");
    assertThat(ShardSchema.FILE_METADATA_TOMBSTONES.tombstonesOf()).isEqualTo("file_metadata");
    assertThat(ShardSchema.TWEETS.tombstonesOf()).isNull();
  }

  @Test
  void buildsEachKindsTableFromItsFieldsBetweenTheCommonColumns() {
    assertThat(ShardSchema.rows(EventKind.TWEET).columns())
        .containsExactly(
            new ShardColumn("id", "uuid"),
            new ShardColumn("location", "text"),
            new ShardColumn("owner_id", "bigint"),
            new ShardColumn("text", "text"),
            new ShardColumn("like_count", "integer"),
            new ShardColumn("occurred_at", "timestamptz"),
            new ShardColumn("partition", "integer"),
            new ShardColumn("ingested_at", "timestamptz"));
    assertThat(ShardSchema.rows(EventKind.FILE).columns())
        .containsExactly(
            new ShardColumn("id", "uuid"),
            new ShardColumn("user_id", "bigint"),
            new ShardColumn("file_name", "text"),
            new ShardColumn("size_bytes", "bigint"),
            new ShardColumn("content_type", "text"),
            new ShardColumn("occurred_at", "timestamptz"),
            new ShardColumn("partition", "integer"),
            new ShardColumn("ingested_at", "timestamptz"));
    assertThat(ShardSchema.FILE_METADATA).isSameAs(ShardSchema.rows(EventKind.FILE));
  }

  @Test
  void namesEachKindsTombstoneTableAfterTheKind() {
    assertThat(ShardSchema.tombstones(EventKind.TWEET)).isSameAs(ShardSchema.TWEET_TOMBSTONES);
    assertThat(ShardSchema.tombstones(EventKind.FILE).name()).isEqualTo("file_metadata_tombstones");
    assertThat(ShardSchema.FILE_METADATA_TOMBSTONES.columnNames())
        .containsExactly("id", "occurred_at", "partition", "deleted_at");
  }

  @Test
  void namesAPartitionsChildTable() {
    assertThat(ShardSchema.childName(ShardSchema.TWEETS, 5)).isEqualTo("tweets_p5");
    assertThat(ShardSchema.FILE_METADATA_TOMBSTONES.childName(0))
        .isEqualTo("file_metadata_tombstones_p0");
  }

  @Test
  void refusesChildrenOfNegativePartitionsAndOfThePlainTable() {
    assertThatThrownBy(() -> ShardSchema.TWEETS.childName(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("partition must be >= 0, was -1");
    assertThatThrownBy(() -> ShardSchema.APPLIED_OFFSETS.childName(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("table applied_offsets is not partitioned");
  }

  @Test
  void listsColumnsInTableOrder() {
    assertThat(ShardSchema.TWEETS.columnList())
        .isEqualTo("id, location, owner_id, text, like_count, occurred_at, partition, ingested_at");
    assertThat(ShardSchema.TWEET_TOMBSTONES.columnNames())
        .containsExactly("id", "occurred_at", "partition", "deleted_at");
  }

  @Test
  void buildsTheChildAndCopyStatementsFromTheDescriptor() {
    ShardTable tombstones = ShardSchema.TWEET_TOMBSTONES;

    assertThat(tombstones.createChildSql(7))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS tweet_tombstones_p7 PARTITION OF tweet_tombstones"
                + " FOR VALUES IN (7)");
    assertThat(tombstones.copyOutSql(7))
        .isEqualTo(
            "COPY (SELECT id, occurred_at, partition, deleted_at FROM tweet_tombstones_p7)"
                + " TO STDOUT (FORMAT binary)");
    assertThat(tombstones.copyInSql(7))
        .isEqualTo(
            "COPY tweet_tombstones_p7 (id, occurred_at, partition, deleted_at)"
                + " FROM STDIN (FORMAT binary)");
  }

  @Test
  void refusesNamesThatWouldNeedQuoting() {
    assertThatThrownBy(() -> new ShardColumn("Owner Id", "bigint"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a plain lower-case identifier: Owner Id");
    assertThatThrownBy(() -> new ShardTable("t", List.of(), false, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table t has no columns");
  }
}
