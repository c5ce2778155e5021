-- The catalog: the one source of truth for shards, the placement of partitions on shards, and the
-- partition moves between them (docs/elasticity.md). Every change of placement, of a shard or of a
-- move's state is one transaction that bumps catalog_meta.version and records a history row.

CREATE TABLE catalog_meta (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    partitions  integer     NOT NULL CHECK (partitions >= 1),
    version     bigint      NOT NULL CHECK (version >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shards (
    name        text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,30}$'),
    url         text        NOT NULL CHECK (url LIKE 'jdbc:postgresql:%'),
    region      text,
    state       text        NOT NULL CHECK (state IN ('active', 'draining', 'removed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE placement (
    partition   integer     PRIMARY KEY CHECK (partition >= 0),
    shard       text        NOT NULL REFERENCES shards (name)
);

CREATE TABLE moves (
    id              bigserial   PRIMARY KEY,
    partition       integer     NOT NULL CHECK (partition >= 0),
    from_shard      text        NOT NULL REFERENCES shards (name),
    to_shard        text        NOT NULL REFERENCES shards (name),
    state           text        NOT NULL CHECK (state IN ('copying', 'catching_up', 'cutover',
                                                          'cleaning', 'done', 'aborted')),
    snapshot_offset bigint,
    final_offset    bigint,
    rows_copied     bigint      NOT NULL DEFAULT 0,
    cutover_version bigint,
    error           text,
    started_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    CHECK (from_shard <> to_shard)
);

-- At most one move of a partition is under way: a second one is refused by the database itself,
-- whatever two operators start at the same moment.
CREATE UNIQUE INDEX moves_one_active_per_partition ON moves (partition)
    WHERE state NOT IN ('done', 'aborted');

CREATE TABLE history (
    id          bigserial   PRIMARY KEY,
    version     bigint      NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    detail      text        NOT NULL
);

-- Each query-service instance says which placement version it reads with, so that a moved
-- partition's old copy is dropped only once no reader can still ask for it.
CREATE TABLE placement_readers (
    instance    text        PRIMARY KEY,
    version     bigint      NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now()
);
