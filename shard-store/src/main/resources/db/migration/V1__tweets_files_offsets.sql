-- SPEC 5: the tables of every shard. Every row records the partition it was routed to, so that a
-- partition's rows can later be counted, copied or moved on their own.

CREATE TABLE tweets (
    id          uuid        PRIMARY KEY,
    location    text        NOT NULL,
    owner_id    bigint      NOT NULL CHECK (owner_id >= 0),
    text        text        NOT NULL,
    like_count  integer     NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now()
);

-- Newest-first reads (SPEC 7) walk these with keyset cursors on (occurred_at, id).
CREATE INDEX tweets_owner_newest    ON tweets (owner_id, occurred_at DESC, id DESC);
CREATE INDEX tweets_location_newest ON tweets (location, occurred_at DESC, id DESC);
CREATE INDEX tweets_newest          ON tweets (occurred_at DESC, id DESC);

CREATE TABLE file_metadata (
    id           uuid        PRIMARY KEY,
    user_id      bigint      NOT NULL CHECK (user_id >= 0),
    file_name    text        NOT NULL,
    size_bytes   bigint      CHECK (size_bytes >= 0),
    content_type text,
    occurred_at  timestamptz NOT NULL,
    partition    integer     NOT NULL,
    ingested_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX file_metadata_user_newest ON file_metadata (user_id, occurred_at DESC, id DESC);
CREATE INDEX file_metadata_newest      ON file_metadata (occurred_at DESC, id DESC);

-- A delete leaves a tombstone with its occurred_at, so that an older upsert delivered after it
-- (a client retry, a forwarded record) cannot bring the row back (SPEC 3: delivering any event
-- twice changes nothing). An id has a row or a tombstone, never both.
CREATE TABLE tweet_tombstones (
    id          uuid        PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE file_metadata_tombstones (
    id          uuid        PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    partition   integer     NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);

-- Where the writer resumes, written in the same transaction as the rows it covers: the shard's own
-- record of what it has applied. Kafka's consumer-group offsets are not used.
CREATE TABLE applied_offsets (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL CHECK (next_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
