-- Each row table becomes LIST-partitioned by `partition`, one child table per logical partition
-- (`tweets_p5`), so that a partition's rows are copied with COPY and removed with DROP TABLE when
-- it moves to another shard, never with a DELETE that leaves its rows behind as dead tuples
-- (docs/architecture.md, "The shard schema"). PostgreSQL requires the partition column in every
-- unique key: the keys become (id, partition), id first, so a lookup by id alone still uses them.
-- Every V1 row is kept: the V1 tables are renamed, the new ones created with a child for every
-- partition found in the old rows or in applied_offsets, the rows copied, the old tables dropped.

-- An index name is unique per schema: free the V1 names for the new tables. The secondary
-- indexes go at once (the copy is faster without them); the new ones are built after it.
ALTER TABLE tweets RENAME TO tweets_v1;
ALTER TABLE tweets_v1 RENAME CONSTRAINT tweets_pkey TO tweets_v1_pkey;
DROP INDEX tweets_owner_newest, tweets_location_newest, tweets_newest;

ALTER TABLE file_metadata RENAME TO file_metadata_v1;
ALTER TABLE file_metadata_v1 RENAME CONSTRAINT file_metadata_pkey TO file_metadata_v1_pkey;
DROP INDEX file_metadata_user_newest, file_metadata_newest;

ALTER TABLE tweet_tombstones RENAME TO tweet_tombstones_v1;
ALTER TABLE tweet_tombstones_v1 RENAME CONSTRAINT tweet_tombstones_pkey TO tweet_tombstones_v1_pkey;

ALTER TABLE file_metadata_tombstones RENAME TO file_metadata_tombstones_v1;
ALTER TABLE file_metadata_tombstones_v1
    RENAME CONSTRAINT file_metadata_tombstones_pkey TO file_metadata_tombstones_v1_pkey;

CREATE TABLE tweets (
    id          uuid        NOT NULL,
    location    text        NOT NULL,
    owner_id    bigint      NOT NULL CHECK (owner_id >= 0),
    text        text        NOT NULL,
    like_count  integer     NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, partition)
) PARTITION BY LIST (partition);

CREATE TABLE file_metadata (
    id           uuid        NOT NULL,
    user_id      bigint      NOT NULL CHECK (user_id >= 0),
    file_name    text        NOT NULL,
    size_bytes   bigint      CHECK (size_bytes >= 0),
    content_type text,
    occurred_at  timestamptz NOT NULL,
    partition    integer     NOT NULL,
    ingested_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, partition)
) PARTITION BY LIST (partition);

-- A delete leaves a tombstone with its occurred_at, so that an older upsert delivered after it
-- cannot bring the row back. An id has a row or a tombstone, never both.
CREATE TABLE tweet_tombstones (
    id          uuid        NOT NULL,
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, partition)
) PARTITION BY LIST (partition);

CREATE TABLE file_metadata_tombstones (
    id          uuid        NOT NULL,
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, partition)
) PARTITION BY LIST (partition);

-- Children for every partition this shard holds anything of. Later ones are created on demand by
-- the store (ShardStore.ensurePartitions) under the same names.
DO $$
DECLARE
    p integer;
    t text;
BEGIN
    FOR p IN
        SELECT partition FROM tweets_v1
        UNION SELECT partition FROM file_metadata_v1
        UNION SELECT partition FROM tweet_tombstones_v1
        UNION SELECT partition FROM file_metadata_tombstones_v1
        UNION SELECT partition FROM applied_offsets
        ORDER BY 1
    LOOP
        FOREACH t IN ARRAY ARRAY['tweets', 'file_metadata', 'tweet_tombstones',
                                 'file_metadata_tombstones']
        LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%s)',
                           t || '_p' || p, t, p);
        END LOOP;
    END LOOP;
END
$$;

INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition, ingested_at)
SELECT id, location, owner_id, text, like_count, occurred_at, partition, ingested_at
FROM tweets_v1;

INSERT INTO file_metadata
    (id, user_id, file_name, size_bytes, content_type, occurred_at, partition, ingested_at)
SELECT id, user_id, file_name, size_bytes, content_type, occurred_at, partition, ingested_at
FROM file_metadata_v1;

INSERT INTO tweet_tombstones (id, occurred_at, partition, deleted_at)
SELECT id, occurred_at, partition, deleted_at FROM tweet_tombstones_v1;

INSERT INTO file_metadata_tombstones (id, occurred_at, partition, deleted_at)
SELECT id, occurred_at, partition, deleted_at FROM file_metadata_tombstones_v1;

DROP TABLE tweets_v1, file_metadata_v1, tweet_tombstones_v1, file_metadata_tombstones_v1;

-- Declared on the parents, so that every child, now and later, gets them. Newest-first reads walk
-- these with keyset cursors on (occurred_at, id).
CREATE INDEX tweets_owner_newest    ON tweets (owner_id, occurred_at DESC, id DESC);
CREATE INDEX tweets_location_newest ON tweets (location, occurred_at DESC, id DESC);
CREATE INDEX tweets_newest          ON tweets (occurred_at DESC, id DESC);
CREATE INDEX file_metadata_user_newest ON file_metadata (user_id, occurred_at DESC, id DESC);
CREATE INDEX file_metadata_newest      ON file_metadata (occurred_at DESC, id DESC);

-- Set when the partition moves to another shard: from then on no writer may advance the offset
-- here, and the row's next_offset is the last one this shard applied.
ALTER TABLE applied_offsets ADD COLUMN fenced_at timestamptz NULL;
