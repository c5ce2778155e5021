#!/usr/bin/env bash
# Run by the postgres image once, when it initialises an empty data directory (small stack only):
# one database per shard on this one server, the devstack's layout. SHARD_DATABASES names them,
# separated by spaces or commas; each must be the database SHARDPIPE_DATABASE_URL_TEMPLATE gives
# for a shard.
set -euo pipefail

: "${SHARD_DATABASES:?name the shard databases, such as shard_eu shard_us}"

IFS=", " read -r -a databases <<< "$SHARD_DATABASES"
# CREATE DATABASE takes no bind parameters: accept plain lower-case identifiers only, all of them
# before creating any.
for db in "${databases[@]}"; do
  if [[ ! "$db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "SHARD_DATABASES: \"$db\" is not a lower-case identifier" >&2
    exit 1
  fi
done
for db in "${databases[@]}"; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE $db"
done
