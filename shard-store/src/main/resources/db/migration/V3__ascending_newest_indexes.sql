-- The newest-first read indexes become ascending on the same columns. PostgreSQL scans a B-tree in
-- either direction, so `ORDER BY occurred_at DESC, id DESC` (with its keyset cursor) is served by a
-- backward scan of the same index, with the same plans and the same rows. What changes is the cost
-- of writing: occurred_at mostly grows, and in a descending index every new entry lands at the
-- left end of its range, where B-tree splits leave both halves half full and the rightmost-leaf
-- fast path never applies; ascending, new entries append on the right of their range, pages split
-- full, and at the index's right end the insert skips the descent. Measured with 320 000 tweets over 16 partitions: the two
-- occurred_at-led indexes of a partition shrank to 0.56-0.57 of their size, and the WAL per row
-- by 8 % (docs/benchmarks.md, "Writer drain").
--
-- Dropping and creating an index of a partitioned table rebuilds it on every child table, and
-- DROP INDEX holds an ACCESS EXCLUSIVE lock on the table until the migration commits, so reads
-- and writes wait meanwhile: on a shard that already holds many rows, upgrade the writer in a
-- quiet moment (docs/operations.md, "Upgrading the shard schema").
DROP INDEX tweets_owner_newest, tweets_location_newest, tweets_newest;
CREATE INDEX tweets_owner_newest    ON tweets (owner_id, occurred_at, id);
CREATE INDEX tweets_location_newest ON tweets (location, occurred_at, id);
CREATE INDEX tweets_newest          ON tweets (occurred_at, id);

DROP INDEX file_metadata_user_newest, file_metadata_newest;
CREATE INDEX file_metadata_user_newest ON file_metadata (user_id, occurred_at, id);
CREATE INDEX file_metadata_newest      ON file_metadata (occurred_at, id);
