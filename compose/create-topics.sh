#!/usr/bin/env bash
# One-shot job of the compose stacks: creates the events topic and the dead-letter topic before any
# service starts (every service checks the events topic at start-up and stops without it), then
# checks that an existing events topic has the partition count routing is computed for
# (docs/contract.md §4).
# Runs in the apache/kafka image; everything comes from the environment the compose file sets,
# including how to log in to the brokers (SECURITY_PROTOCOL and the rest, kafka-client-config.sh).
set -euo pipefail

: "${BOOTSTRAP:?}" "${TOPIC:?}" "${DLQ_TOPIC:?}" "${PARTITIONS:?}" "${DLQ_PARTITIONS:?}"
: "${REPLICATION_FACTOR:?}" "${MIN_INSYNC_REPLICAS:?}" "${RETENTION_MS:?}" "${DLQ_RETENTION_MS:?}"

# A dead letter waits for someone to fix what made it one and replay it (shardctl dlq replay); if
# it expired before the events around it, nothing would show what was lost.
if [ "$DLQ_RETENTION_MS" -ne -1 ] && { [ "$RETENTION_MS" -eq -1 ] ||
  [ "$DLQ_RETENTION_MS" -le "$RETENTION_MS" ]; }; then
  echo "DLQ_RETENTION_MS ($DLQ_RETENTION_MS) must be longer than EVENTS_RETENTION_MS" \
    "($RETENTION_MS), or -1 to keep dead letters for good" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash "$(dirname "$0")/kafka-client-config.sh" "$work/client.properties"

topics() {
  "${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" \
    --command-config "$work/client.properties" "$@"
}

create() {
  local name="$1" partitions="$2" retention="$3"
  topics --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS" --config "retention.ms=$retention"
}

create "$TOPIC" "$PARTITIONS" "$RETENTION_MS"
create "$DLQ_TOPIC" "$DLQ_PARTITIONS" "$DLQ_RETENTION_MS"

# --if-not-exists says nothing about an existing topic's size, and routing a topic of another size
# would put events on the wrong shards; partitions can be added to a topic but never removed.
actual="$(topics --describe --topic "$TOPIC" \
  | sed -n 's/.*PartitionCount: *\([0-9][0-9]*\).*/\1/p')"
if [ "$actual" != "$PARTITIONS" ]; then
  echo "topic $TOPIC has $actual partitions, but SHARDPIPE_PARTITIONS is $PARTITIONS;" \
    "routing needs them equal: recreate the topic or change SHARDPIPE_PARTITIONS" >&2
  exit 1
fi
echo "topics ready: $TOPIC ($PARTITIONS partitions), $DLQ_TOPIC;" \
  "replication factor $REPLICATION_FACTOR, min.insync.replicas $MIN_INSYNC_REPLICAS"
