-- The newest-first read indexes become ascending on the same columns. PostgreSQL scans a B-tree in
-- either direction, so `ORDER BY occurred_at DESC, id DESC` (with its keyset cursor) is served by a
-- backward scan of the same index, with the same plans and the same rows. What changes is the cost
-- of writing: occurred_at mostly grows, and in a descending index every new entry lands at the
-- left end of its range, where B-tree splits leave both halves half full and the rightmost-leaf
-- fast path never applies; ascending, new entries append on the right, pages split full and the
-- insert skips the descent. Measured on 1 000 000 tweets: the two occurred_at-led indexes of a
-- partition shrink to about 0.55 of their size, with less WAL and CPU per row
-- (docs/benchmarks.md, "Writer drain", what was measured).
--
-- Dropping and creating an index of a partitioned table rebuilds it on every child table, under
-- a lock that blocks writes to the table until the migration commits: on a shard that already
-- holds many rows, run the writers' upgrade in a quiet moment (docs/operations.md).
DROP INDEX tweets_owner_newest, tweets_location_newest, tweets_newest;
CREATE INDEX tweets_owner_newest    ON tweets (owner_id, occurred_at, id);
CREATE INDEX tweets_location_newest ON tweets (location, occurred_at, id);
CREATE INDEX tweets_newest          ON tweets (occurred_at, id);

DROP INDEX file_metadata_user_newest, file_metadata_newest;
CREATE INDEX file_metadata_user_newest ON file_metadata (user_id, occurred_at, id);
CREATE INDEX file_metadata_newest      ON file_metadata (occurred_at, id);
